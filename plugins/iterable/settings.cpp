// The settings table and its one interpreter: validation, defaults and typed storage.
#include "settings.h"

#include <array>
#include <ostream>

#include <nlohmann/json.hpp>

#include "endpoints.h"

namespace iterable {
namespace {

using nlohmann::json;

// Rate limits per Iterable endpoint family (requests per second, per project or API key),
// from Iterable's published API limits; keys are the rate_key of each sy_request.
constexpr std::string_view kDefaultRateLimits =
    R"({"events/track":2000,"events/trackBulk":10,"users/update":500,"users/bulkUpdate":5,)"
    R"("users/registerDeviceToken":500,"users/registerBrowserToken":500,"users/updateEmail":500,)"
    R"("commerce/*":500,"catalogs":100})";

constexpr std::string_view kIgnoredWebSdk = "Web device-mode (browser SDK) setting; accepted and ignored.";
constexpr std::string_view kIgnoredConsent = "Consent/filtering setting applied upstream; accepted and ignored.";

#define SY_IGNORED(key, why) {key, SettingType::kIgnored, "", false, false, why, nullptr}

constexpr std::array kSpecs = std::to_array<SettingSpec>({
    {"apiKey", SettingType::kString, "", false, true,
     "Iterable server-side API key, sent in the Api-Key header. Absent: requests carry no key (as the reference).",
     [](Settings &s, const json &v) { s.api_key = Secret(v.get<std::string>()); }},
    {"dataCenter", SettingType::kDataCenter, R"("USDC")", false, false,
     "USDC (api.iterable.com) or EUDC (api.eu.iterable.com).",
     [](Settings &s, const json &v) { s.data_center = v == "EUDC" ? DataCenter::kEU : DataCenter::kUS; }},
    {"registerDeviceOrBrowserApiKey", SettingType::kString, "", false, true,
     "Iterable mobile/web API key. When set, identify events with a device or browser token also register it.",
     [](Settings &s, const json &v) { s.device_api_key = Secret(v.get<std::string>()); }},
    {"preferUserId", SettingType::kBoolean, "true", false, false,
     "Copied into user updates: create a user by userId when none exists.",
     [](Settings &s, const json &v) { s.prefer_user_id = v.get<bool>(); }},
    {"mergeNestedObjects", SettingType::kBoolean, "true", false, false,
     "Copied into user updates: merge top-level objects instead of replacing them.",
     [](Settings &s, const json &v) { s.merge_nested_objects = v.get<bool>(); }},
    {"trackAllPages", SettingType::kBoolean, "false", false, false, "Send every page/screen call.",
     [](Settings &s, const json &v) { s.track_all_pages = v.get<bool>(); }},
    {"trackCategorisedPages", SettingType::kBoolean, "false", false, false,
     "Send page/screen calls that have a category.",
     [](Settings &s, const json &v) { s.track_categorised_pages = v.get<bool>(); }},
    {"trackNamedPages", SettingType::kBoolean, "false", false, false, "Send page/screen calls that have a name.",
     [](Settings &s, const json &v) { s.track_named_pages = v.get<bool>(); }},
    {"mapToSingleEvent", SettingType::kBoolean, "false", false, false,
     "Name page/screen events \"Loaded a Page\"/\"Loaded a Screen\" instead of \"NAME page\"/\"NAME screen\".",
     [](Settings &s, const json &v) { s.map_to_single_event = v.get<bool>(); }},
    {"endpoint", SettingType::kUrl, "", false, false,
     "Base URL override, e.g. http://127.0.0.1:8080/api/ (plain http only for loopback hosts).",
     [](Settings &s, const json &v) { s.endpoint = v.get<std::string>(); }},
    {"connectTimeoutMs", SettingType::kMilliseconds, "5000", false, false, "TCP/TLS connect timeout in ms.",
     [](Settings &s, const json &v) { s.connect_timeout_ms = v.get<uint32_t>(); }},
    {"requestTimeoutMs", SettingType::kMilliseconds, "30000", false, false, "Whole-request timeout in ms.",
     [](Settings &s, const json &v) { s.request_timeout_ms = v.get<uint32_t>(); }},
    {"gzipRequests", SettingType::kBoolean, "false", false, false,
     "Send request bodies gzip-compressed (Iterable does not document accepting them: off by default).",
     [](Settings &s, const json &v) { s.gzip_requests = v.get<bool>(); }},
    {"rateLimits", SettingType::kRateLimits, kDefaultRateLimits, false, false,
     "Requests per second per rate key; keys given here replace the defaults one by one.",
     [](Settings &s, const json &v) {
         for (const auto &[key, rps] : v.items()) s.rate_limits.push_back({key, rps.get<double>()});
     }},
    SY_IGNORED("useNativeSDK", kIgnoredWebSdk), SY_IGNORED("initialisationIdentifier", kIgnoredWebSdk),
    SY_IGNORED("getInAppEventMapping", kIgnoredWebSdk), SY_IGNORED("purchaseEventMapping", kIgnoredWebSdk),
    SY_IGNORED("sendTrackForInapp", kIgnoredWebSdk), SY_IGNORED("packageName", kIgnoredWebSdk),
    SY_IGNORED("animationDuration", kIgnoredWebSdk), SY_IGNORED("displayInterval", kIgnoredWebSdk),
    SY_IGNORED("onOpenScreenReaderMessage", kIgnoredWebSdk), SY_IGNORED("onOpenNodeToTakeFocus", kIgnoredWebSdk),
    SY_IGNORED("rightOffset", kIgnoredWebSdk), SY_IGNORED("topOffset", kIgnoredWebSdk),
    SY_IGNORED("bottomOffset", kIgnoredWebSdk), SY_IGNORED("handleLinks", kIgnoredWebSdk),
    SY_IGNORED("closeButton*", kIgnoredWebSdk), SY_IGNORED("iconPath", kIgnoredWebSdk),
    SY_IGNORED("isRequiredToDismissMessage", kIgnoredWebSdk),
    SY_IGNORED("oneTrustCookieCategories", kIgnoredConsent), SY_IGNORED("ketchConsentPurposes", kIgnoredConsent),
    SY_IGNORED("consentManagement", kIgnoredConsent), SY_IGNORED("eventFilteringOption", kIgnoredConsent),
    SY_IGNORED("whitelistedEvents", kIgnoredConsent), SY_IGNORED("blacklistedEvents", kIgnoredConsent),
    SY_IGNORED("connectionMode", kIgnoredConsent),
});
#undef SY_IGNORED

bool name_matches(std::string_view pattern, std::string_view key) {
    if (!pattern.empty() && pattern.back() == '*')
        return key.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
    return pattern == key;
}

const SettingSpec *find_spec(std::string_view key) {
    for (const SettingSpec &spec : kSpecs)
        if (name_matches(spec.name, key)) return &spec;
    return nullptr;
}

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string unknown_key_sentence(std::string_view key) {
    std::string sentence = "Setting " + in_quotes(key) + " is not known";
    if (std::string_view guess = closest_setting_name(key); !guess.empty())
        sentence += " (did you mean " + in_quotes(guess) + "?)";
    sentence += "; valid settings are ";
    for (size_t i = 0; i < kSpecs.size(); ++i) sentence += (i ? ", " : "") + std::string(kSpecs[i].name);
    return sentence + ".";
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

// The reason a value does not fit its row ("" when it fits); never quotes a secret value.
std::string type_problem(const SettingSpec &spec, const json &value) {
    switch (spec.type) {
        case SettingType::kString: return value.is_string() ? "" : "must be a string";
        case SettingType::kBoolean: return value.is_boolean() ? "" : "must be true or false";
        case SettingType::kDataCenter:
            if (value == "USDC" || value == "EUDC") return "";
            return "must be USDC or EUDC, got " + value.dump();
        case SettingType::kUrl: return value.is_string() ? endpoint_problem(value.get<std::string>()) : "must be a URL string";
        case SettingType::kMilliseconds:
            return value.is_number_unsigned() && value.get<uint64_t>() > 0 && value.get<uint64_t>() <= 3'600'000
                       ? "" : "must be a whole number of milliseconds between 1 and 3600000";
        case SettingType::kRateLimits: return rate_limits_problem(value);
        case SettingType::kIgnored: return "";
    }
    return "";
}

// Defaults first, then the operator's own keys replace them one by one.
json merged_rate_limits(const json &given) {
    json merged = json::parse(kDefaultRateLimits);
    if (given.is_object())
        for (const auto &[key, rps] : given.items()) merged[key] = rps;
    return merged;
}

}  // namespace

std::span<const SettingSpec> setting_specs() { return kSpecs; }

std::ostream &operator<<(std::ostream &out, const Secret &) { return out << Secret::kRedacted; }

SettingsParse parse_settings(std::string_view settings_json) {
    SettingsParse result;
    json given = json::parse(settings_json, nullptr, false);
    if (!given.is_object()) {
        result.error = "Settings must be a JSON object.";
        return result;
    }
    for (const auto &[key, value] : given.items()) {
        const SettingSpec *spec = find_spec(key);
        if (spec == nullptr) {
            result.error = unknown_key_sentence(key);
            return result;
        }
        if (std::string problem = type_problem(*spec, value); !problem.empty()) {
            result.error = "Setting " + in_quotes(key) + " " + problem + ".";
            return result;
        }
    }
    for (const SettingSpec &spec : kSpecs) {
        if (spec.store == nullptr) continue;
        auto it = given.find(std::string(spec.name));
        if (it == given.end() && spec.required) {
            result.error = "Setting " + in_quotes(spec.name) + " is required.";
            return result;
        }
        if (spec.type == SettingType::kRateLimits) spec.store(result.settings, merged_rate_limits(it == given.end() ? json() : *it));
        else if (it != given.end()) spec.store(result.settings, *it);
        else if (!spec.default_json.empty()) spec.store(result.settings, json::parse(spec.default_json));
    }
    Settings &s = result.settings;
    s.base_url = s.endpoint.empty() ? std::string(base_url_for(s.data_center)) : s.endpoint;
    if (s.base_url.back() != '/') s.base_url += '/';
    if (s.api_key.empty())
        result.warnings.emplace_back("Setting \"apiKey\" is absent, so requests carry no api_key header and Iterable will refuse them.");
    result.ok = true;
    return result;
}

}  // namespace iterable
