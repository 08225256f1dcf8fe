// Reading a plugin's settings schema: parsing it, defaults and secrets (see settings_schema.h).
//
// valijson checks settings against the schema: header-only (no library to ship beside the host),
// packaged in Debian (libvalijson-dev), reads nlohmann::json (the host's JSON for settings)
// through an adapter, supports draft 7 (what plugins write) and reports every error with its
// path rather than stopping at the first, which is what `check` must list.
#include "host/plugin/settings_schema.h"

#include <charconv>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>

#include "host/filtering/filter_settings.h"
#include "host/json/json_pointer.h"
#include "host/plugin/schema_tree.h"

namespace switchyard {
namespace {

using nlohmann::json;

void fill_defaults(const json &schema, json &value) {
    if (!value.is_object() || !schema.is_object()) return;
    auto properties = schema.find("properties");
    if (properties == schema.end() || !properties->is_object()) return;
    for (const auto &[name, property] : properties->items()) {
        if (auto given = value.find(name); given != value.end()) fill_defaults(property, *given);
        else if (property.is_object() && property.contains("default")) value[name] = property["default"];
    }
}

void collect_secrets(const json *schema, const json &value, bool secret, std::vector<std::string> &out) {
    secret = secret || (schema != nullptr && marked_secret(*schema));
    if (value.is_object()) {
        for (const auto &[key, member] : value.items())
            collect_secrets(schema != nullptr ? member_schema(*schema, key) : nullptr, member, secret, out);
    } else if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i)
            collect_secrets(schema != nullptr ? item_schema(*schema, i) : nullptr, value[i], secret, out);
    } else if (secret && value.is_string()) {
        out.push_back(value.get<std::string>());
    }
}

std::optional<std::string> not_an_object_schema(const json &document) {
    if (!document.is_object())
        return std::string("its settings_schema must be a JSON Schema object, got a JSON ") + document.type_name();
    auto type = document.find("type");
    if (type != document.end() && *type != "object")
        return "its settings_schema must describe a settings object (\"type\": \"object\"), not " + type->dump();
    return std::nullopt;
}

}  // namespace

std::optional<SettingsSchema> SettingsSchema::parse(std::string_view text, std::string &error) {
    SettingsSchema schema;
    try {
        schema.document_ = std::make_shared<const json>(json::parse(text));
    } catch (const json::parse_error &e) {
        error = "its settings_schema is not valid JSON (at byte " + std::to_string(e.byte) + ")";
        return std::nullopt;
    }
    if (auto why = not_an_object_schema(*schema.document_)) {
        error = *why;
        return std::nullopt;
    }
    try {
        auto compiled = std::make_shared<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(*schema.document_), *compiled);
        schema.compiled_ = std::move(compiled);
    } catch (const std::exception &e) {
        error = std::string("its settings_schema is not a usable JSON Schema (") + e.what() + ")";
        return std::nullopt;
    }
    return schema;
}

std::string settings_schema_refusal(const char *text) {
    std::string why;
    if (text != nullptr) SettingsSchema::parse(text, why);
    return why;
}

json SettingsSchema::with_defaults(const json &settings) const {
    json completed = settings;
    fill_defaults(*document_, completed);
    return completed;
}

std::vector<std::string> SettingsSchema::secret_values(const json &settings) const {
    std::vector<std::string> values;
    collect_secrets(document_.get(), settings, false, values);
    return values;
}

std::string setting_path(const json &settings, std::string_view pointer) {
    std::string path = "settings";
    const json *at = &settings;
    for (const std::string &token : pointer_tokens(pointer)) {
        const bool index = at != nullptr && at->is_array();
        path += index ? "[" + token + "]" : "." + token;
        if (at == nullptr) continue;
        if (index) {
            size_t i = 0;
            const bool number = std::from_chars(token.data(), token.data() + token.size(), i).ec == std::errc();
            at = number && i < at->size() ? &(*at)[i] : nullptr;
        } else {
            at = at->is_object() && at->contains(token) ? &(*at)[token] : nullptr;
        }
    }
    return path;
}

CheckedSettings check_settings(std::string_view settings_schema, std::string_view settings_json) {
    std::string unusable;
    const std::optional<SettingsSchema> schema = SettingsSchema::parse(settings_schema, unusable);
    if (schema) return check_settings(*schema, settings_json);
    CheckedSettings out;  // the loader refuses such a plugin: only reached with a schema given by hand
    out.problems.push_back({"", "settings", "cannot be checked: " + unusable});
    return out;
}

CheckedSettings check_settings(const SettingsSchema &schema, std::string_view settings_json) {
    CheckedSettings out;
    // The host applies event filtering and consent itself (host/filtering): no plugin sees them.
    const json given = filtering::without_host_settings(json::parse(settings_json, nullptr, false));
    if (!given.is_object()) {
        out.problems.push_back({"", "settings", "must be a mapping of the plugin's settings"});
        return out;
    }
    const json completed = schema.with_defaults(given);
    out.problems = schema.problems(completed);
    if (out.problems.empty()) out.completed_json = completed.dump();
    return out;
}

std::string problems_sentence(const std::vector<SettingProblem> &problems) {
    std::string sentence;
    for (const SettingProblem &p : problems) sentence += (sentence.empty() ? "" : "; ") + p.path + " " + p.what;
    return sentence + ".";
}

}  // namespace switchyard
