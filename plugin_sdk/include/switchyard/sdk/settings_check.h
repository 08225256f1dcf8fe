// Reading a settings object against a table: unknown keys (with "did you mean"), wrong kinds,
// missing required keys, defaults. Each problem is one sentence naming the setting.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/sdk/settings_spec.h"

namespace sy::sdk {

// "" when `given` is an object whose every key is in the table with a value of the row's kind
// and every required row is present; else the first problem found.
std::string settings_problem(const nlohmann::json &given, std::span<const SettingSpec> specs);

// The value a row takes: the given one, else its default, else null.
nlohmann::json value_or_default(const SettingSpec &spec, const nlohmann::json &given);

// The closest valid name within a small edit distance, or "" (for "did you mean").
std::string_view closest_setting_name(std::string_view unknown, std::span<const SettingSpec> specs);

}  // namespace sy::sdk
