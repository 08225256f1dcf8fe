// A workspace destination's settings checked against its plugin's schema before init: the
// completed settings init receives, or every problem naming its file:line and setting. The
// host-level settings (event filtering, consent) are read here too, and never reach the plugin.
#pragma once

#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/filtering/delivery_filter.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {

struct DestinationSettings {
    std::string completed_json;         // defaults applied; set only when there are no problems
    std::vector<std::string> problems;  // "config/acme.yaml:14: destination \"iterable\": settings.apiKey: is required"
};

DestinationSettings check_destination_settings(const DestinationConfig &destination, const PluginLibrary &plugin);

struct DestinationFilter {
    filtering::DeliveryFilter filter;
    std::vector<std::string> problems;  // as above; the filter is not to be used while any remains
};

// The destination's event filter and consent settings (host/filtering/filter_settings.h).
DestinationFilter read_destination_filter(const DestinationConfig &destination);

}  // namespace switchyard
