// The settings reference of a plugin, from its schema (see settings_reference.h).
#include "host/plugin/settings_reference.h"

#include <algorithm>
#include <array>

#include "host/plugin/schema_tree.h"

namespace switchyard {
namespace {

using nlohmann::json;

constexpr size_t kMaxDefaultWidth = 24;  // longer defaults (a whole map) go on their own line

std::string type_text(const json &schema) {
    std::string type = "any";
    if (auto t = schema.find("type"); t != schema.end())
        type = t->is_string() ? t->get<std::string>() : t->dump();
    if (auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
        std::string listed;
        for (const json &v : *values) listed += (listed.empty() ? "" : "|") + (v.is_string() ? v.get<std::string>() : v.dump());
        type += " (" + listed + ")";
    } else if (auto format = schema.find("format"); format != schema.end() && format->is_string()) {
        type += " (" + format->get<std::string>() + ")";
    }
    return type;
}

// A patternProperties key as a setting name: "^x-" → "x-*", anything else as written.
std::string pattern_name(const std::string &pattern) {
    const bool plain_prefix = pattern.size() > 1 && pattern.front() == '^' &&
                              pattern.find_first_of(".*+?()[]{}|\\$^", 1) == std::string::npos;
    return plain_prefix ? pattern.substr(1) + "*" : pattern;
}

struct Walk {
    std::vector<SettingReference> &rows;

    void add(const std::string &path, const json &schema, bool required, bool secret) {
        if (!schema.is_object()) return;
        secret = secret || marked_secret(schema);
        rows.push_back({path, type_text(schema), required, schema.contains("default") ? schema["default"].dump() : "",
                        secret, schema.value("description", std::string())});
        members(path + ".", schema, secret);
    }

    void members(const std::string &prefix, const json &schema, bool secret) {
        const json required = schema.value("required", json::array());
        auto is_required = [&](const std::string &name) {
            return required.is_array() && std::find(required.begin(), required.end(), name) != required.end();
        };
        if (auto properties = schema.find("properties"); properties != schema.end() && properties->is_object())
            for (const auto &[name, property] : properties->items()) add(prefix + name, property, is_required(name), secret);
        if (auto patterns = schema.find("patternProperties"); patterns != schema.end() && patterns->is_object())
            for (const auto &[pattern, property] : patterns->items()) add(prefix + pattern_name(pattern), property, false, secret);
        if (auto additional = schema.find("additionalProperties"); additional != schema.end() && additional->is_object())
            add(prefix + "*", *additional, false, secret);
    }
};

std::string yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace

std::vector<SettingReference> settings_reference(const json &schema) {
    std::vector<SettingReference> rows;
    if (schema.is_object()) Walk{rows}.members("", schema, false);
    return rows;
}

void print_settings_reference(std::ostream &out, std::span<const SettingReference> rows) {
    if (rows.empty()) {
        out << "No settings.\n";
        return;
    }
    auto shown_default = [](const SettingReference &r) {
        if (r.default_value.empty()) return std::string("-");
        return r.default_value.size() <= kMaxDefaultWidth ? r.default_value : std::string("(below)");
    };
    std::array<size_t, 5> width = {7, 4, 8, 7, 6};  // the header words
    for (const SettingReference &r : rows) {
        const std::array<size_t, 5> cells = {r.path.size(), r.type.size(), 3, shown_default(r).size(), 3};
        for (size_t i = 0; i < width.size(); ++i) width[i] = std::max(width[i], cells[i]);
    }
    auto line = [&](const std::array<std::string, 6> &cells) {
        std::string text;
        for (size_t i = 0; i < width.size(); ++i) text += cells[i] + std::string(width[i] - cells[i].size() + 2, ' ');
        text += cells[5];
        text.erase(text.find_last_not_of(' ') + 1);
        out << text << "\n";
    };
    line({"SETTING", "TYPE", "REQUIRED", "DEFAULT", "SECRET", "DESCRIPTION"});
    for (const SettingReference &r : rows) {
        line({r.path, r.type, yes_no(r.required), shown_default(r), yes_no(r.secret), r.description});
        if (r.default_value.size() > kMaxDefaultWidth) out << "    default of " << r.path << ": " << r.default_value << "\n";
    }
}

}  // namespace switchyard
