// Iterable's rows of the settings table, its own setting kinds (data center, rate limits) and
// what follows from the values (the effective base URL, warnings).
#include "settings.h"

#include <array>

#include <nlohmann/json.hpp>

#include "endpoints.h"

namespace iterable {
namespace {

using nlohmann::json;
using sy::sdk::Setting;
namespace kinds = sy::sdk::kinds;

// Rate limits per Iterable endpoint family (requests per second, per project or API key),
// from Iterable's published API limits; keys are the rate_key of each sy_request.
constexpr std::string_view kDefaultRateLimits =
    R"({"events/track":2000,"events/trackBulk":10,"users/update":500,"users/bulkUpdate":5,)"
    R"("users/registerDeviceToken":500,"users/registerBrowserToken":500,"users/updateEmail":500,)"
    R"("commerce/*":500,"catalogs":100})";

constexpr std::string_view kIgnoredWebSdk = "Web device-mode (browser SDK) setting; accepted and ignored.";
constexpr std::string_view kIgnoredConnectionMode = "RudderStack's cloud/device mode choice; accepted and ignored.";
// The host takes these out of the settings before the plugin sees them; listed so that the schema
// (and `plugins --describe`) still names every key a pasted RudderStack config holds.
constexpr std::string_view kAppliedByHost =
    "Event filtering/consent setting applied by the host (docs/consent-and-filtering.md); the plugin never sees it.";

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string data_center_problem(const json &value) {
    for (const DataCenterBase &row : data_center_bases())
        if (value.is_string() && value.get<std::string>() == row.setting_value) return "";
    return "must be USDC or EUDC, got " + value.dump();
}

std::string rate_limits_problem(const json &value) {
    if (!value.is_object()) return "must be an object of rate key to requests per second";
    const json defaults = json::parse(kDefaultRateLimits);
    std::string valid_keys;
    for (const auto &[key, rps] : defaults.items()) valid_keys += (valid_keys.empty() ? "" : ", ") + key;
    for (const auto &[key, rps] : value.items()) {
        if (!defaults.contains(key)) return "has an unknown rate key " + in_quotes(key) + " (valid: " + valid_keys + ")";
        if (!rps.is_number() || rps.get<double>() <= 0) return "needs a positive number for " + in_quotes(key);
    }
    return "";
}

const sy::sdk::SettingKind kDataCenterKind{"USDC or EUDC", R"({"type":"string","enum":["USDC","EUDC"]})",
                                           data_center_problem};
const sy::sdk::SettingKind kRateLimitsKind{
    "object", R"({"type":"object","additionalProperties":{"type":"number","exclusiveMinimum":0}})",
    rate_limits_problem};

// Defaults first, then the operator's own keys replace them one by one.
void store_rate_limits(Settings &s, const json &given) {
    json merged = json::parse(kDefaultRateLimits);
    for (const auto &[key, rps] : given.items()) merged[key] = rps;
    for (const auto &[key, rps] : merged.items()) s.rate_limits.push_back({key, rps.get<double>()});
}

#define SY_IGNORED(key, why) {{key, &kinds::kIgnored, "", false, false, why}, nullptr}

constexpr std::array kRows = std::to_array<Setting<Settings>>({
    {{"apiKey", &kinds::kString, "", false, true,
      "Iterable server-side API key, sent in the Api-Key header. Absent: requests carry no key (as the reference)."},
     [](Settings &s, const json &v) { s.api_key = sy::sdk::Secret(v.get<std::string>()); }},
    {{"dataCenter", &kDataCenterKind, R"("USDC")", false, false,
      "USDC (api.iterable.com) or EUDC (api.eu.iterable.com)."},
     [](Settings &s, const json &v) { s.data_center = v == "EUDC" ? DataCenter::kEU : DataCenter::kUS; }},
    {{"registerDeviceOrBrowserApiKey", &kinds::kString, "", false, true,
      "Iterable mobile/web API key. When set, identify events with a device or browser token also register it."},
     [](Settings &s, const json &v) { s.device_api_key = sy::sdk::Secret(v.get<std::string>()); }},
    {{"preferUserId", &kinds::kBoolean, "true", false, false,
      "Copied into user updates: create a user by userId when none exists."},
     [](Settings &s, const json &v) { s.prefer_user_id = v.get<bool>(); }},
    {{"mergeNestedObjects", &kinds::kBoolean, "true", false, false,
      "Copied into user updates: merge top-level objects instead of replacing them."},
     [](Settings &s, const json &v) { s.merge_nested_objects = v.get<bool>(); }},
    // Page flags: the defaults of RudderStack's dashboard (rudder-integrations-config,
    // src/configurations/destinations/iterable/schema.json), not the reference transformer's
    // absent-is-false, so a config holding only apiKey does not fail every page and screen.
    {{"trackAllPages", &kinds::kBoolean, "false", false, false, "Send every page/screen call."},
     [](Settings &s, const json &v) { s.track_all_pages = v.get<bool>(); }},
    {{"trackCategorisedPages", &kinds::kBoolean, "true", false, false,
      "Send page/screen calls that have a category."},
     [](Settings &s, const json &v) { s.track_categorised_pages = v.get<bool>(); }},
    {{"trackNamedPages", &kinds::kBoolean, "true", false, false, "Send page/screen calls that have a name."},
     [](Settings &s, const json &v) { s.track_named_pages = v.get<bool>(); }},
    {{"mapToSingleEvent", &kinds::kBoolean, "true", false, false,
      "Name page/screen events \"Loaded a Page\"/\"Loaded a Screen\" instead of \"NAME page\"/\"NAME screen\"."},
     [](Settings &s, const json &v) { s.map_to_single_event = v.get<bool>(); }},
    {{"eventIdFromMessageId", &kinds::kBoolean, "false", false, false,
      "Tracked events (events/track and trackBulk items, pages, screens) carry id = messageId, and purchases "
      "without an order id too, so Iterable overwrites a resent event instead of counting it twice. Recommended "
      "with Switchyard's at-least-once delivery."},
     [](Settings &s, const json &v) { s.event_id_from_message_id = v.get<bool>(); }},
    {{"endpoint", &kinds::kUrl, "", false, false,
      "Base URL override, e.g. http://127.0.0.1:8080/api/ (plain http only for loopback hosts)."},
     [](Settings &s, const json &v) { s.endpoint = v.get<std::string>(); }},
    {{"connectTimeoutMs", &kinds::kMilliseconds, "5000", false, false, "TCP/TLS connect timeout in ms."},
     [](Settings &s, const json &v) { s.connect_timeout_ms = v.get<uint32_t>(); }},
    {{"requestTimeoutMs", &kinds::kMilliseconds, "30000", false, false, "Whole-request timeout in ms."},
     [](Settings &s, const json &v) { s.request_timeout_ms = v.get<uint32_t>(); }},
    {{"gzipRequests", &kinds::kBoolean, "false", false, false,
      "Send request bodies gzip-compressed (Iterable does not document accepting them: off by default)."},
     [](Settings &s, const json &v) { s.gzip_requests = v.get<bool>(); }},
    {{"rateLimits", &kRateLimitsKind, kDefaultRateLimits, false, false,
      "Requests per second per rate key; keys given here replace the defaults one by one."},
     store_rate_limits},
    SY_IGNORED("useNativeSDK", kIgnoredWebSdk), SY_IGNORED("initialisationIdentifier", kIgnoredWebSdk),
    SY_IGNORED("getInAppEventMapping", kIgnoredWebSdk), SY_IGNORED("purchaseEventMapping", kIgnoredWebSdk),
    SY_IGNORED("sendTrackForInapp", kIgnoredWebSdk), SY_IGNORED("packageName", kIgnoredWebSdk),
    SY_IGNORED("animationDuration", kIgnoredWebSdk), SY_IGNORED("displayInterval", kIgnoredWebSdk),
    SY_IGNORED("onOpenScreenReaderMessage", kIgnoredWebSdk), SY_IGNORED("onOpenNodeToTakeFocus", kIgnoredWebSdk),
    SY_IGNORED("rightOffset", kIgnoredWebSdk), SY_IGNORED("topOffset", kIgnoredWebSdk),
    SY_IGNORED("bottomOffset", kIgnoredWebSdk), SY_IGNORED("handleLinks", kIgnoredWebSdk),
    SY_IGNORED("closeButton*", kIgnoredWebSdk), SY_IGNORED("iconPath", kIgnoredWebSdk),
    SY_IGNORED("isRequiredToDismissMessage", kIgnoredWebSdk),
    SY_IGNORED("oneTrustCookieCategories", kAppliedByHost), SY_IGNORED("ketchConsentPurposes", kAppliedByHost),
    SY_IGNORED("consentManagement", kAppliedByHost), SY_IGNORED("eventFilteringOption", kAppliedByHost),
    SY_IGNORED("whitelistedEvents", kAppliedByHost), SY_IGNORED("blacklistedEvents", kAppliedByHost),
    SY_IGNORED("connectionMode", kIgnoredConnectionMode),
});
#undef SY_IGNORED

}  // namespace

const sy::sdk::SettingsTable<Settings> &settings_table() {
    static const sy::sdk::SettingsTable<Settings> table("Iterable destination settings", kRows);
    return table;
}

SettingsParse parse_settings(std::string_view settings_json) {
    SettingsParse result = settings_table().parse(settings_json);
    if (!result.ok) return result;
    Settings &s = result.settings;
    s.base_url = s.endpoint.empty() ? std::string(base_url_for(s.data_center)) : s.endpoint;
    if (s.base_url.back() != '/') s.base_url += '/';
    if (s.api_key.empty())
        result.warnings.emplace_back("Setting \"apiKey\" is absent, so requests carry no api_key header and Iterable will refuse them.");
    if (!s.track_all_pages && !s.track_categorised_pages && !s.track_named_pages)
        result.warnings.emplace_back(
            "Settings \"trackAllPages\", \"trackCategorisedPages\" and \"trackNamedPages\" are all false, so every "
            "page and screen event fails with \"Invalid page call\" (or \"Invalid screen call\").");
    return result;
}

}  // namespace iterable
