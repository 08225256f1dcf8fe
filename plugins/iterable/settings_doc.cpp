// Everything derived from the settings table for people and tools: the JSON schema, the
// README's settings section and "did you mean" suggestions.
#include <algorithm>
#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "endpoints.h"
#include "settings.h"

namespace iterable {
namespace {

using nlohmann::json;

std::string_view type_name(SettingType type) {
    switch (type) {
        case SettingType::kString: return "string";
        case SettingType::kBoolean: return "boolean";
        case SettingType::kDataCenter: return "USDC or EUDC";
        case SettingType::kUrl: return "URL";
        case SettingType::kMilliseconds: return "integer (ms)";
        case SettingType::kRateLimits: return "object";
        case SettingType::kIgnored: return "any (ignored)";
    }
    return "";
}

json property_schema(const SettingSpec &spec) {
    json p = {{"description", spec.description}};
    switch (spec.type) {
        case SettingType::kString: p["type"] = "string"; break;
        case SettingType::kBoolean: p["type"] = "boolean"; break;
        case SettingType::kDataCenter: {
            p["type"] = "string";
            json values = json::array();
            for (const DataCenterBase &row : data_center_bases()) values.push_back(row.setting_value);
            p["enum"] = values;
            break;
        }
        case SettingType::kUrl: p["type"] = "string"; p["format"] = "uri"; break;
        case SettingType::kMilliseconds: p["type"] = "integer"; p["minimum"] = 1; p["maximum"] = 3600000; break;
        case SettingType::kRateLimits:
            p["type"] = "object";
            p["additionalProperties"] = {{"type", "number"}, {"exclusiveMinimum", 0}};
            break;
        case SettingType::kIgnored: break;
    }
    if (!spec.default_json.empty()) p["default"] = json::parse(spec.default_json);
    if (spec.secret) p["writeOnly"] = true;
    return p;
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

const std::string &settings_schema_json() {
    static const std::string schema = [] {
        json properties = json::object(), patterns = json::object(), required = json::array();
        for (const SettingSpec &spec : setting_specs()) {
            std::string name(spec.name);
            if (name.back() == '*') patterns["^" + name.substr(0, name.size() - 1)] = property_schema(spec);
            else properties[name] = property_schema(spec);
            if (spec.required) required.push_back(name);
        }
        json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                       {"title", "Iterable destination settings"},
                       {"type", "object"},
                       {"additionalProperties", false},
                       {"properties", properties},
                       {"patternProperties", patterns}};
        if (!required.empty()) schema["required"] = required;
        return schema.dump();
    }();
    return schema;
}

std::string settings_markdown() {
    std::string md = "| setting | type | default | required | secret | description |\n"
                     "| --- | --- | --- | --- | --- | --- |\n";
    for (const SettingSpec &spec : setting_specs()) {
        std::string def = spec.default_json.empty() ? "—" : "`" + std::string(spec.default_json) + "`";
        md += "| `" + std::string(spec.name) + "` | " + std::string(type_name(spec.type)) + " | " + def + " | " +
              (spec.required ? "yes" : "no") + " | " + (spec.secret ? "yes" : "no") + " | " +
              std::string(spec.description) + " |\n";
    }
    return md;
}

std::string_view closest_setting_name(std::string_view unknown) {
    std::string_view best;
    size_t best_distance = std::max<size_t>(2, unknown.size() / 3) + 1;
    for (const SettingSpec &spec : setting_specs()) {
        std::string_view name = spec.name;
        if (name.back() == '*') name.remove_suffix(1);
        size_t d = edit_distance(unknown, name);
        if (d < best_distance) best_distance = d, best = spec.name;
    }
    return best;
}

}  // namespace iterable
