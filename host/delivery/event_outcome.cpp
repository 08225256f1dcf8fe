// Per-event settlement of transform and send results.
#include "host/delivery/event_outcome.h"

namespace switchyard {
namespace {

std::string text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

void merge(EventOutcome &event, sy_outcome outcome, uint32_t status, std::string message, uint32_t retry_after_ms) {
    const bool first = !event.carried;
    event.carried = true;
    if (!first && severity(outcome) <= severity(event.outcome)) return;  // the first of equals stays
    event.outcome = outcome;
    event.status = status;
    event.message = std::move(message);
    event.retry_after_ms = retry_after_ms;
}

}  // namespace

int severity(sy_outcome outcome) {
    switch (outcome) {
        case SY_OK: return 0;
        case SY_THROTTLED: return 1;
        case SY_RETRY: return 2;
        case SY_ABORT: return 3;
    }
    return 3;  // an unknown value from a plugin: never retry it blindly
}

std::string_view outcome_name(sy_outcome outcome) {
    switch (outcome) {
        case SY_OK: return "ok";
        case SY_THROTTLED: return "throttled";
        case SY_RETRY: return "retry";
        case SY_ABORT: return "abort";
    }
    return "abort";
}

std::vector<EventOutcome> outcomes_from_transform(const sy_transform_result &result, size_t event_count) {
    std::vector<EventOutcome> events(event_count);
    for (size_t e = 0; e < result.error_count; ++e) {
        const sy_event_error &error = result.errors[e];
        if (error.event_index < event_count)
            merge(events[error.event_index], SY_ABORT, error.status, text(error.message), 0);
    }
    return events;
}

void settle_request(const sy_request &request, const sy_send_result *sent, std::vector<EventOutcome> &events) {
    const bool per_event = sent != nullptr && sent->events != nullptr && sent->event_count == request.event_count;
    for (size_t i = 0; i < request.event_count; ++i) {
        const uint32_t index = request.event_indexes[i];
        if (index >= events.size()) continue;
        if (sent == nullptr) {
            merge(events[index], SY_RETRY, 0, "the plugin returned no send result", 0);
        } else if (per_event) {
            const sy_event_outcome &e = sent->events[i];
            merge(events[index], e.outcome, e.status, text(e.message), sent->retry_after_ms);
        } else {
            merge(events[index], sent->outcome, sent->http_status, text(sent->message), sent->retry_after_ms);
        }
    }
}

void abort_uncarried(std::vector<EventOutcome> &events) {
    for (EventOutcome &event : events)
        if (!event.carried) merge(event, SY_ABORT, 0, "the plugin produced no request and no error for this event", 0);
}

}  // namespace switchyard
