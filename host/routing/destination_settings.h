// A workspace destination's settings checked against its plugin's schema before init: the
// completed settings init receives, or every problem naming its file:line and setting.
#pragma once

#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {

struct DestinationSettings {
    std::string completed_json;         // defaults applied; set only when there are no problems
    std::vector<std::string> problems;  // "config/acme.yaml:14: destination \"iterable\": settings.apiKey: is required"
};

DestinationSettings check_destination_settings(const DestinationConfig &destination, const PluginLibrary &plugin);

}  // namespace switchyard
