// The settings table as JSON Schema and as Markdown (see settings_reference.h).
#include "switchyard/sdk/settings_reference.h"

#include <nlohmann/json.hpp>

namespace sy::sdk {
namespace {

using nlohmann::json;

json property_schema(const SettingSpec &spec) {
    json p = json::parse(spec.kind->schema_json);
    p["description"] = spec.description;
    if (!spec.default_json.empty()) p["default"] = json::parse(spec.default_json);
    if (spec.secret) p["writeOnly"] = p["x-secret"] = true;  // "x-secret": the mark hosts and tools look for
    return p;
}

}  // namespace

std::string settings_schema_json(std::string_view title, std::span<const SettingSpec> specs) {
    json properties = json::object(), patterns = json::object(), required = json::array();
    for (const SettingSpec &spec : specs) {
        std::string name(spec.name);
        if (name.back() == '*') patterns["^" + name.substr(0, name.size() - 1)] = property_schema(spec);
        else properties[name] = property_schema(spec);
        if (spec.required) required.push_back(name);
    }
    json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                   {"title", title},
                   {"type", "object"},
                   {"additionalProperties", false},
                   {"properties", properties},
                   {"patternProperties", patterns}};
    if (!required.empty()) schema["required"] = required;
    return schema.dump();
}

std::string settings_markdown(std::span<const SettingSpec> specs) {
    std::string md = "| setting | type | default | required | secret | description |\n"
                     "| --- | --- | --- | --- | --- | --- |\n";
    for (const SettingSpec &spec : specs) {
        std::string def = spec.default_json.empty() ? "—" : "`" + std::string(spec.default_json) + "`";
        md += "| `" + std::string(spec.name) + "` | " + std::string(spec.kind->doc_name) + " | " + def + " | " +
              (spec.required ? "yes" : "no") + " | " + (spec.secret ? "yes" : "no") + " | " +
              std::string(spec.description) + " |\n";
    }
    return md;
}

}  // namespace sy::sdk
