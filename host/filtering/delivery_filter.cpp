// The per-destination delivery decision at ingestion.
#include "host/filtering/delivery_filter.h"

namespace switchyard::filtering {

Verdict decide(const DeliveryFilter &filter, const EventFacts &facts) {
    if (!consent_allows(filter.consent, facts.consent)) return Verdict::consent;
    if (!event_filter_allows(filter.events, facts.type, facts.event_name)) return Verdict::event_filter;
    return Verdict::deliver;
}

std::string_view reason_label(Verdict verdict) {
    switch (verdict) {
        case Verdict::event_filter: return "event_filter";
        case Verdict::consent: return "consent";
        case Verdict::suppressed: return "suppressed";
        case Verdict::deliver: break;
    }
    return "";
}

}  // namespace switchyard::filtering
