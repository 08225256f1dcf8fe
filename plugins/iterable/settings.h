// The Iterable destination's settings: one declarative table drives validation, defaults,
// the exported JSON schema and the README section; parse once into a typed, immutable struct.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace iterable {

// A credential: printing or logging it shows a placeholder, never the value.
class Secret {
   public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    const std::string &reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    static constexpr std::string_view kRedacted = "[redacted]";

   private:
    std::string value_;
};

// Printing a secret (logs, test failures) shows "[redacted]".
std::ostream &operator<<(std::ostream &out, const Secret &secret);

enum class DataCenter : uint8_t { kUS, kEU };

struct RateLimitSetting {
    std::string rate_key;  // e.g. "events/trackBulk"
    double requests_per_second;
};

struct Settings {
    Secret api_key;                 // empty: requests carry no api_key header (as the reference)
    DataCenter data_center = DataCenter::kUS;
    Secret device_api_key;          // registerDeviceOrBrowserApiKey; empty: no token registration
    bool prefer_user_id = true;
    bool merge_nested_objects = true;
    bool track_all_pages = false;
    bool track_categorised_pages = false;
    bool track_named_pages = false;
    bool map_to_single_event = false;
    std::string endpoint;           // operator's base-URL override, "" when absent
    std::string base_url;           // effective base, always ends in "/"
    uint32_t connect_timeout_ms = 5000;
    uint32_t request_timeout_ms = 30000;
    bool gzip_requests = false;
    std::vector<RateLimitSetting> rate_limits;
};

enum class SettingType : uint8_t { kString, kBoolean, kDataCenter, kUrl, kMilliseconds, kRateLimits, kIgnored };

// One row of the settings table. `default_json` is the value used when the key is absent
// ("" = no default). A name ending in '*' matches every key with that prefix.
struct SettingSpec {
    std::string_view name;
    SettingType type;
    std::string_view default_json;
    bool required;
    bool secret;
    std::string_view description;
    void (*store)(Settings &, const nlohmann::json &);
};

std::span<const SettingSpec> setting_specs();

struct SettingsParse {
    bool ok = false;
    Settings settings;
    std::string error;                  // one sentence, never containing a secret
    std::vector<std::string> warnings;  // one sentence each, for the host's log
};

// Validates a settings JSON object against the table and builds the typed settings.
SettingsParse parse_settings(std::string_view settings_json);

// The JSON schema of the settings (exported as sy_plugin.settings_schema).
const std::string &settings_schema_json();

// The README's settings table, generated from the same rows.
std::string settings_markdown();

// The closest valid name within a small edit distance, or "" (for "did you mean").
std::string_view closest_setting_name(std::string_view unknown);

}  // namespace iterable
