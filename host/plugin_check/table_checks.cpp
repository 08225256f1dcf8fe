// The checks on what the plugin's table declares: its fields, and its settings JSON Schema.
#include <nlohmann/json.hpp>

#include "host/plugin_check/checks.h"

namespace switchyard::plugin_check {
namespace {

bool is_name_character(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

std::string name_problem(const char *name) {
    if (name == nullptr || name[0] == '\0') return "The plugin's name is empty.";
    for (const char *c = name; *c != '\0'; ++c)
        if (!is_name_character(*c))
            return std::string("The plugin's name \"") + name + "\" has a character outside [a-z0-9_-].";
    return {};
}

// A message type is a non-empty [a-z_]+ word: the spec's six, or a type a future spec adds.
std::string message_types_problem(const char *const *types) {
    if (types == nullptr) return {};
    if (types[0] == nullptr) return "The table's message_types is empty; give NULL to take every type.";
    for (const char *const *type = types; *type != nullptr; ++type) {
        const std::string_view word(*type);
        if (word.empty() || word.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string_view::npos)
            return "The table's message_types holds \"" + std::string(word) + "\", which is not a [a-z_]+ word.";
    }
    return {};
}

// The loader's refusals, which a loaded plugin passed, and what the loader leaves to the plugin.
std::string table_problem(const sy_plugin &t) {
    if (t.struct_size < kMinPluginTableSize)
        return "The table's struct_size is " + std::to_string(t.struct_size) + ", ABI 2.0 needs at least " +
               std::to_string(kMinPluginTableSize) + ".";
    if (std::string why = table_refusal(t); !why.empty()) return "The table is refused: " + why + ".";
    if (std::string why = name_problem(t.name); !why.empty()) return why;
    if (t.version == nullptr || t.version[0] == '\0') return "The plugin's version is empty.";
    return message_types_problem(t.message_types);
}

std::string schema_problem(const nlohmann::json &schema) {
    if (!schema.is_object()) return "is not a JSON object";
    if (schema.value("type", nlohmann::json()) != "object") return "does not say \"type\": \"object\"";
    if (const auto properties = schema.find("properties"); properties != schema.end()) {
        if (!properties->is_object()) return "has \"properties\" that is not an object";
        for (const auto &[name, property] : properties->items())
            if (!property.is_object()) return "has property \"" + name + "\" whose schema is not an object";
    }
    if (const auto required = schema.find("required"); required != schema.end()) {
        if (!required->is_array()) return "has \"required\" that is not an array";
        for (const auto &name : *required)
            if (!name.is_string()) return "has \"required\" holding something other than setting names";
    }
    return {};
}

}  // namespace

Verdict check_table_fields(Subject &subject) {
    const std::string why = table_problem(subject.plugin->table());
    return why.empty() ? passed() : failed(why);
}

Verdict check_settings_schema(Subject &subject) {
    const char *text = subject.plugin->table().settings_schema;
    if (text == nullptr) return failed("The table's settings_schema is NULL; every plugin must declare a JSON Schema.");
    const nlohmann::json schema = nlohmann::json::parse(text, nullptr, false);
    if (schema.is_discarded()) return failed("The settings schema is not valid JSON.");
    const std::string why = schema_problem(schema);
    return why.empty() ? passed() : failed("The settings schema " + why + ".");
}

}  // namespace switchyard::plugin_check
