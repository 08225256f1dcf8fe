// Whether an ingested event is stored for a destination: its event filter and its consent, both
// from the destination's settings as RudderStack names them. Decided once, at ingestion.
#pragma once

#include <string>
#include <string_view>

#include "host/filtering/consent.h"
#include "host/filtering/event_filter.h"

namespace switchyard::filtering {

struct DeliveryFilter {
    EventFilter events;
    ConsentSettings consent;
    bool operator==(const DeliveryFilter &) const = default;
    bool filters_nothing() const { return events.option == EventFilterOption::disable && consent.empty(); }
};

// What the decision reads of an event, taken from the ingestion's own parse.
struct EventFacts {
    std::string type;        // "track", ...
    std::string event_name;  // a track's `event` when it is a string
    ConsentFacts consent;
    std::string user_id = {};  // the event's userId, "" when none: what a suppression matches
};

// `suppressed`: a regulation suppresses the user for the destination (host/regulation/).
enum class Verdict { deliver, event_filter, consent, suppressed };

// Consent first: a denied event is counted as such whatever its name.
Verdict decide(const DeliveryFilter &filter, const EventFacts &facts);

// The `reason` label of switchyard_events_filtered_total for a verdict other than deliver.
std::string_view reason_label(Verdict verdict);

}  // namespace switchyard::filtering
