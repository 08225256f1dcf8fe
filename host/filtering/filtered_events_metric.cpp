// The one declaration of the filtered-events counter, with every reason it counts.
#include "host/filtering/filtered_events_metric.h"

#include "host/metrics/metrics.h"

namespace switchyard::filtering {

void declare_filtered_events_metric(Metrics &metrics) {
    metrics.declare(kEventsFilteredMetric, Metrics::Type::counter,
                    "Events a destination does not get, per destination and reason (event_filter: its "
                    "eventFilteringOption; consent: the user denied a consent it needs; suppressed: a regulation "
                    "suppresses the user; all three decided at ingestion, nothing stored; message_type: a type the "
                    "destination does not take; plugin: the plugin said it needs no delivery).");
}

}  // namespace switchyard::filtering
