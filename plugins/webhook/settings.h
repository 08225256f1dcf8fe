// The webhook destination's settings: its rows of the SDK's settings table (validation,
// defaults, the exported JSON Schema and the README table), parsed once into a typed struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/sdk/secret.h"
#include "switchyard/sdk/settings_table.h"

namespace webhook {

struct ConfiguredHeader {
    std::string name;
    sy::sdk::Secret value;  // may be a credential (Authorization, X-Api-Key ...)
};

struct Settings {
    sy::sdk::Secret url;  // often carries a token in its path (Slack, Zapier, Discord hooks)
    std::string method = "POST";
    std::vector<ConfiguredHeader> headers;
    uint32_t batch_size = 1;
    uint32_t timeout_ms = 10000;
    std::optional<double> requests_per_second;  // absent: no pacing
};

using SettingsParse = sy::sdk::SettingsParse<Settings>;

const sy::sdk::SettingsTable<Settings> &settings_table();

// Validates a settings JSON object against the table and builds the typed settings.
SettingsParse parse_settings(std::string_view settings_json);

}  // namespace webhook
