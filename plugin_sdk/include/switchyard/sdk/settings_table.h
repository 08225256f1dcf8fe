// A plugin's settings as one table: each row is a SettingSpec plus where its value goes in the
// plugin's typed settings struct. Parse once in init; runtime code reads only the struct.
//
//   struct Settings { std::string label; };
//   constexpr std::array kRows = std::to_array<sy::sdk::Setting<Settings>>({
//       {{"label", &sy::sdk::kinds::kString, R"("")", false, false, "Shown in logs."},
//        [](Settings &s, const nlohmann::json &v) { s.label = v.get<std::string>(); }},
//   });
//   const sy::sdk::SettingsTable<Settings> table("My destination settings", kRows);
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/sdk/settings_check.h"
#include "switchyard/sdk/settings_reference.h"
#include "switchyard/sdk/settings_spec.h"

namespace sy::sdk {

template <class Settings>
struct Setting {
    SettingSpec spec;
    void (*store)(Settings &, const nlohmann::json &value);  // nullptr: accepted and ignored
};

template <class Settings>
struct SettingsParse {
    bool ok = false;
    Settings settings;
    std::string error;                  // one sentence, never containing a secret
    std::vector<std::string> warnings;  // one sentence each, for the host's log
};

template <class Settings>
class SettingsTable {
   public:
    // `rows` must outlive the table (a static array).
    SettingsTable(std::string_view title, std::span<const Setting<Settings>> rows) : rows_(rows) {
        for (const Setting<Settings> &row : rows) specs_.push_back(row.spec);
        schema_json_ = settings_schema_json(title, specs_);
    }

    // Validates a settings JSON object and stores every row's value (or default).
    SettingsParse<Settings> parse(std::string_view settings_json) const {
        SettingsParse<Settings> out;
        const nlohmann::json given = nlohmann::json::parse(settings_json, nullptr, false);
        out.error = settings_problem(given, specs_);
        if (!out.error.empty()) return out;
        for (const Setting<Settings> &row : rows_) {
            if (row.store == nullptr) continue;
            if (const nlohmann::json value = value_or_default(row.spec, given); !value.is_null())
                row.store(out.settings, value);
        }
        out.ok = true;
        return out;
    }

    std::span<const SettingSpec> specs() const { return specs_; }
    const std::string &schema_json() const { return schema_json_; }  // for sy_plugin.settings_schema
    std::string markdown() const { return settings_markdown(specs_); }
    std::string_view closest_name(std::string_view unknown) const { return closest_setting_name(unknown, specs_); }

   private:
    std::span<const Setting<Settings>> rows_;
    std::vector<SettingSpec> specs_;
    std::string schema_json_;
};

}  // namespace sy::sdk
