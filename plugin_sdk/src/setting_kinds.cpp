// The kinds of setting value every plugin needs (see settings_spec.h).
#include <cstdint>

#include <nlohmann/json.hpp>

#include "switchyard/sdk/settings_spec.h"
#include "switchyard/sdk/url_rules.h"

namespace sy::sdk::kinds {
namespace {

constexpr uint64_t kMaxMilliseconds = 3'600'000;  // an hour: no sane timeout is longer

std::string string_problem(const nlohmann::json &v) { return v.is_string() ? "" : "must be a string"; }
std::string boolean_problem(const nlohmann::json &v) { return v.is_boolean() ? "" : "must be true or false"; }
std::string milliseconds_problem(const nlohmann::json &v) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > 0 && v.get<uint64_t>() <= kMaxMilliseconds) return "";
    return "must be a whole number of milliseconds between 1 and " + std::to_string(kMaxMilliseconds);
}
std::string url_value_problem(const nlohmann::json &v) {
    return v.is_string() ? url_problem(v.get<std::string>()) : "must be a URL string";
}
std::string no_problem(const nlohmann::json &) { return ""; }

}  // namespace

const SettingKind kString{"string", R"({"type":"string"})", string_problem};
const SettingKind kBoolean{"boolean", R"({"type":"boolean"})", boolean_problem};
const SettingKind kMilliseconds{"integer (ms)", R"({"type":"integer","minimum":1,"maximum":3600000})",
                                milliseconds_problem};
const SettingKind kUrl{"URL", R"({"type":"string","format":"uri"})", url_value_problem};
const SettingKind kIgnored{"any (ignored)", "{}", no_problem};

}  // namespace sy::sdk::kinds
