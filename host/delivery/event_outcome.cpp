// Per-event settlement of transform and send results.
#include "host/delivery/event_outcome.h"

#include <algorithm>

namespace switchyard {
namespace {

std::string text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

// Severity with room for "held back" between OK and THROTTLED: sent and delivered by one request
// but not sent by another, an event is not delivered; sent and failed, it was attempted.
int rank(sy_outcome outcome, bool held_back) { return held_back ? 2 * severity(SY_OK) + 1 : 2 * severity(outcome); }

void merge(EventOutcome &event, sy_outcome outcome, uint32_t status, std::string message, uint32_t retry_after_ms,
           bool held_back = false) {
    const bool first = !event.carried;
    event.carried = true;
    if (!first && rank(outcome, held_back) <= rank(event.outcome, event.held_back)) return;  // the first of equals stays
    event.outcome = outcome;
    event.held_back = held_back;
    event.status = status;
    event.message = std::move(message);
    event.retry_after_ms = retry_after_ms;
}

}  // namespace

EventOutcome held_back_event() { return {SY_RETRY, 0, std::string(kHeldBack), 0, true, false, true}; }

int severity(sy_outcome outcome) {
    switch (outcome) {
        case SY_SKIPPED: return 0;
        case SY_OK: return 1;
        case SY_THROTTLED: return 2;
        case SY_RETRY: return 3;
        case SY_ABORT: return 4;
    }
    return 4;  // an unknown value from a plugin: never retry it blindly
}

std::string_view outcome_name(sy_outcome outcome) {
    switch (outcome) {
        case SY_SKIPPED: return "skipped";
        case SY_OK: return "ok";
        case SY_THROTTLED: return "throttled";
        case SY_RETRY: return "retry";
        case SY_ABORT: return "abort";
    }
    return "abort";
}

std::vector<EventOutcome> outcomes_from_transform(const TransformRead &result, size_t event_count) {
    std::vector<EventOutcome> events(event_count);
    for (const EventErrorRead &error : result.errors) {
        if (error.event_index >= event_count) continue;
        const bool known = error.outcome == SY_RETRY || error.outcome == SY_SKIPPED;
        merge(events[error.event_index], known ? error.outcome : SY_ABORT, error.status, error.message, 0);
        events[error.event_index].skipped_by_host = error.skipped_by_host;
    }
    return events;
}

void settle_request(const RequestRead &request, const SendRead &sent, std::vector<EventOutcome> &events) {
    const bool per_event = !sent.events.empty() && sent.events.size() == request.event_indexes.size();
    for (size_t i = 0; i < request.event_indexes.size(); ++i) {
        const uint32_t index = request.event_indexes[i];
        if (index >= events.size()) continue;
        if (per_event) {
            const sy_event_outcome &e = sent.events[i];
            merge(events[index], e.outcome, e.status, text(e.message), sent.fields.retry_after_ms);
        } else {
            merge(events[index], sent.fields.outcome, sent.fields.http_status, text(sent.fields.message),
                  sent.fields.retry_after_ms);
        }
    }
}

void retry_request(const RequestRead &request, std::string_view why, std::vector<EventOutcome> &events) {
    for (const uint32_t index : request.event_indexes)
        if (index < events.size()) merge(events[index], SY_RETRY, 0, std::string(why), 0);
}

void hold_back_request(const RequestRead &request, std::vector<EventOutcome> &events) {
    for (const uint32_t index : request.event_indexes)
        if (index < events.size()) merge(events[index], SY_RETRY, 0, std::string(kHeldBack), 0, /*held_back=*/true);
}

bool holds_back_its_users(const RequestRead &request, const std::vector<EventOutcome> &events) {
    return std::ranges::any_of(request.event_indexes, [&](uint32_t index) {
        return index < events.size() && (events[index].outcome == SY_RETRY || events[index].outcome == SY_THROTTLED);
    });
}

void abort_request(const RequestRead &request, std::string_view why, std::vector<EventOutcome> &events) {
    for (const uint32_t index : request.event_indexes)
        if (index < events.size()) merge(events[index], SY_ABORT, 0, std::string(why), 0);
}

void abort_uncarried(std::vector<EventOutcome> &events) {
    for (EventOutcome &event : events)
        if (!event.carried) merge(event, SY_ABORT, 0, "the plugin produced no request and no error for this event", 0);
}

}  // namespace switchyard
