// switchyard_events_filtered_total{destination,reason}: events a destination does not get,
// counted by the router (reasons message_type, plugin) and by ingestion (event_filter, consent,
// suppressed).
#pragma once

namespace switchyard {
class Metrics;
}

namespace switchyard::filtering {

inline constexpr const char *kEventsFilteredMetric = "switchyard_events_filtered_total";

// Idempotent: both counting sides declare it.
void declare_filtered_events_metric(Metrics &metrics);

}  // namespace switchyard::filtering
