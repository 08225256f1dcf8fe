// Event filtering by name, as RudderStack's SDKs apply it to device-mode destinations
// (rudderlabs/rudder-sdk-kotlin, android/.../devicemode/eventprocessing/EventFilteringPlugin.kt):
// rudder-server applies no name filter of its own.
#include "host/filtering/event_filter.h"

#include <algorithm>

namespace switchyard::filtering {

bool event_filter_allows(const EventFilter &filter, std::string_view type, std::string_view event_name) {
    if (type != "track" || filter.option == EventFilterOption::disable) return true;
    const bool listed = std::find(filter.names.begin(), filter.names.end(), event_name) != filter.names.end();
    return filter.option == EventFilterOption::whitelisted_events ? listed : !listed;
}

}  // namespace switchyard::filtering
