// Finding secret settings through the plugin's settings schema.
#include "host/routing/secret_settings.h"

#include <array>

#include <nlohmann/json.hpp>

#include "host/log/log.h"

namespace switchyard {
namespace {

constexpr std::array<const char *, 2> kSecretMarks = {"writeOnly", "x-secret"};

bool marked_secret(const nlohmann::json &property) {
    if (!property.is_object()) return false;
    for (const char *mark : kSecretMarks)
        if (property.contains(mark) && property[mark] == true) return true;
    return false;
}

}  // namespace

void register_secret_settings(std::string_view settings_schema, std::string_view settings_json) {
    const auto schema = nlohmann::json::parse(settings_schema, nullptr, false);
    const auto settings = nlohmann::json::parse(settings_json, nullptr, false);
    if (!schema.is_object() || !settings.is_object() || !schema.contains("properties")) return;
    const nlohmann::json &properties = schema["properties"];
    if (!properties.is_object()) return;
    for (const auto &[name, property] : properties.items())
        if (marked_secret(property) && settings.contains(name) && settings[name].is_string())
            log::add_secret(settings[name].get<std::string>());
}

}  // namespace switchyard
