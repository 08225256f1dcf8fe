// The Iterable destination's settings: its rows of the SDK's settings table (settings_table.h
// drives validation, defaults, the exported JSON schema and the README section); parsed once
// into a typed, immutable struct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/sdk/secret.h"
#include "switchyard/sdk/settings_table.h"

namespace iterable {

enum class DataCenter : uint8_t { kUS, kEU };

struct RateLimitSetting {
    std::string rate_key;  // e.g. "events/trackBulk"
    double requests_per_second;
};

struct Settings {
    sy::sdk::Secret api_key;         // empty: requests carry no api_key header (as the reference)
    DataCenter data_center = DataCenter::kUS;
    sy::sdk::Secret device_api_key;  // registerDeviceOrBrowserApiKey; empty: no token registration
    bool prefer_user_id = true;
    bool merge_nested_objects = true;
    bool track_all_pages = false;
    bool track_categorised_pages = true;
    bool track_named_pages = true;
    bool map_to_single_event = true;
    bool event_id_from_message_id = false;  // events and purchases carry `id` = messageId
    std::string endpoint;           // operator's base-URL override, "" when absent
    std::string base_url;           // effective base, always ends in "/"
    uint32_t connect_timeout_ms = 5000;
    uint32_t request_timeout_ms = 30000;
    bool gzip_requests = false;
    std::vector<RateLimitSetting> rate_limits;
};

using SettingsParse = sy::sdk::SettingsParse<Settings>;

// The table: validation, defaults, the exported JSON schema and the README section.
const sy::sdk::SettingsTable<Settings> &settings_table();

// Validates a settings JSON object against the table and builds the typed settings.
SettingsParse parse_settings(std::string_view settings_json);

}  // namespace iterable
