// The host-level destination settings (event filtering and consent): read from a destination's
// `settings` as RudderStack names them, and taken out before the plugin's schema and init see them.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "host/filtering/delivery_filter.h"

namespace switchyard::filtering {

inline constexpr std::array<std::string_view, 6> kHostSettingKeys = {
    "eventFilteringOption", "whitelistedEvents", "blacklistedEvents",
    "oneTrustCookieCategories", "ketchConsentPurposes", "consentManagement"};

struct FilterSettingProblem {
    std::string pointer;  // JSON pointer into the settings: "/whitelistedEvents/0/eventName"
    std::string what;     // "must be a string"
};

struct FilterSettings {
    DeliveryFilter filter;
    std::vector<FilterSettingProblem> problems;  // the filter is not to be used while any remains
};

// Reads the host-level keys of a destination's settings object (others are ignored).
FilterSettings read_filter_settings(const nlohmann::json &settings);

// `settings` without the host-level keys: what the plugin's schema checks and its init receives.
nlohmann::json without_host_settings(nlohmann::json settings);

}  // namespace switchyard::filtering
