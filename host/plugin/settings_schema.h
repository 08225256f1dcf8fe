// A plugin's settings schema (sy_plugin.settings_schema, JSON Schema): checking a destination's
// settings against it before init, filling in its defaults, and finding the settings it marks
// secret. The one place the host reads a plugin's schema.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace valijson {
class Schema;
}

namespace switchyard {

// One thing wrong with one setting.
struct SettingProblem {
    std::string pointer;  // JSON pointer into the settings object: "/headers/X-Token" ("" = the object)
    std::string path;     // the same for people: "settings.headers.X-Token"
    std::string what;     // "is required", "must be a string"...: never quotes the value
};

// The readable path of a JSON pointer into the settings: "/headers/X-Token" → "settings.headers.X-Token",
// "/list/0" → "settings.list[0]" when `settings` holds an array there.
std::string setting_path(const nlohmann::json &settings, std::string_view pointer);

class SettingsSchema {
   public:
    // The schema of a plugin; nullopt with `error` set to one sentence when `text` is not JSON or
    // not a JSON Schema this host can check settings against (it must describe an object).
    static std::optional<SettingsSchema> parse(std::string_view text, std::string &error);

    // `settings` with every absent property that has a "default" filled in: top-level ones, and
    // those of nested objects the settings hold.
    nlohmann::json with_defaults(const nlohmann::json &settings) const;

    // Every problem at once, in the settings' key order; empty when the settings are valid.
    std::vector<SettingProblem> problems(const nlohmann::json &settings) const;

    // The values of every string setting, at any depth, that the schema marks secret
    // ("x-secret": true or "writeOnly": true), or that lies under a setting so marked. Numbers are
    // left out: redacting every "3" would garble the logs.
    std::vector<std::string> secret_values(const nlohmann::json &settings) const;

   private:
    // Shared: valijson's Schema cannot be copied, and moving this stays cheap and noexcept.
    std::shared_ptr<const nlohmann::json> document_;
    std::shared_ptr<const valijson::Schema> compiled_;
};


// Why the loader refuses a plugin for its schema ("" when it does not): `text` is the table's
// settings_schema, NULL meaning "{}" (any settings).
std::string settings_schema_refusal(const char *text);

// What the host hands the plugin's init: settings checked and completed, or every problem.
struct CheckedSettings {
    std::string completed_json;  // compact JSON with defaults applied; set only without problems
    std::vector<SettingProblem> problems;
};

// Checks `settings_json` against the plugin's schema text, defaults first (so a required setting
// with a default is satisfied). Settings that are not a JSON object are one problem at pointer "".
CheckedSettings check_settings(const SettingsSchema &schema, std::string_view settings_json);
// The same from the schema's text (compiled for this call).
CheckedSettings check_settings(std::string_view settings_schema, std::string_view settings_json);

// The problems as one sentence, for where there is no file:line to give:
// "settings.apiKey is required; settings.retries must be at least 0."
std::string problems_sentence(const std::vector<SettingProblem> &problems);

}  // namespace switchyard
