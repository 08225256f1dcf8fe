// Event filtering by name (RudderStack's `eventFilteringOption` with `whitelistedEvents` or
// `blacklistedEvents`): which track events a destination takes. Rules: docs/consent-and-filtering.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::filtering {

enum class EventFilterOption { disable, whitelisted_events, blacklisted_events };

struct EventFilter {
    EventFilterOption option = EventFilterOption::disable;
    std::vector<std::string> names;  // the chosen list's non-empty `eventName`s
    bool operator==(const EventFilter &) const = default;
};

// Whether an event of `type` named `event_name` passes: only track events are filtered, by
// exact (case-sensitive) name.
bool event_filter_allows(const EventFilter &filter, std::string_view type, std::string_view event_name);

}  // namespace switchyard::filtering
