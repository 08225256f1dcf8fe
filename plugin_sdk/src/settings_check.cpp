// The settings table's one interpreter: validation and defaults (see settings_check.h).
#include "switchyard/sdk/settings_check.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace sy::sdk {
namespace {

using nlohmann::json;

bool name_matches(std::string_view pattern, std::string_view key) {
    if (!pattern.empty() && pattern.back() == '*')
        return key.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
    return pattern == key;
}

const SettingSpec *find_spec(std::string_view key, std::span<const SettingSpec> specs) {
    for (const SettingSpec &spec : specs)
        if (name_matches(spec.name, key)) return &spec;
    return nullptr;
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string unknown_key_sentence(std::string_view key, std::span<const SettingSpec> specs) {
    std::string sentence = "Setting " + in_quotes(key) + " is not known";
    if (std::string_view guess = closest_setting_name(key, specs); !guess.empty())
        sentence += " (did you mean " + in_quotes(guess) + "?)";
    sentence += "; valid settings are ";
    for (size_t i = 0; i < specs.size(); ++i) sentence += (i ? ", " : "") + std::string(specs[i].name);
    return sentence + ".";
}

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string settings_problem(const json &given, std::span<const SettingSpec> specs) {
    if (!given.is_object()) return "Settings must be a JSON object.";
    for (const auto &[key, value] : given.items()) {
        const SettingSpec *spec = find_spec(key, specs);
        if (spec == nullptr) return unknown_key_sentence(key, specs);
        if (std::string problem = spec->kind->problem(value); !problem.empty())
            return "Setting " + in_quotes(key) + " " + problem + ".";
    }
    for (const SettingSpec &spec : specs)
        if (spec.required && !given.contains(std::string(spec.name)))
            return "Setting " + in_quotes(spec.name) + " is required.";
    return "";
}

json value_or_default(const SettingSpec &spec, const json &given) {
    if (auto it = given.find(std::string(spec.name)); it != given.end()) return *it;
    return spec.default_json.empty() ? json() : json::parse(spec.default_json);
}

std::string_view closest_setting_name(std::string_view unknown, std::span<const SettingSpec> specs) {
    std::string_view best;
    size_t best_distance = std::max<size_t>(2, unknown.size() / 3) + 1;
    for (const SettingSpec &spec : specs) {
        std::string_view name = spec.name;
        if (name.back() == '*') name.remove_suffix(1);
        size_t d = edit_distance(unknown, name);
        if (d < best_distance) best_distance = d, best = spec.name;
    }
    return best;
}

}  // namespace sy::sdk
