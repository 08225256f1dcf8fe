// Settling each event of a call from the requests that carry it: an event is delivered only
// when every request carrying it succeeded; otherwise the worst outcome wins.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/plugin/plugin_results.h"
#include "switchyard/plugin.h"

namespace switchyard {

struct EventOutcome {
    sy_outcome outcome = SY_OK;
    uint32_t status = 0;
    std::string message;
    uint32_t retry_after_ms = 0;
    bool carried = false;  // some request or error accounted for this event
    bool skipped_by_host = false;  // SY_SKIPPED for its message type, not by the plugin
    // Not attempted (outcome SY_RETRY, message kHeldBack): it stays queued as it is, no attempt
    // counted and no retry window started. Worse than SY_OK, better than any outcome of a send.
    bool held_back = false;
};

// The message of events held back.
inline constexpr std::string_view kHeldBack =
    "not sent: an earlier request of its user must be retried first, or the host is stopping";

// An event not sent (held back).
EventOutcome held_back_event();

// SKIPPED < OK < THROTTLED < RETRY < ABORT: what an event becomes when two requests disagree
// (held back ranks between OK and THROTTLED).
int severity(sy_outcome outcome);

// "skipped", "ok", "retry", "throttled", "abort"
std::string_view outcome_name(sy_outcome outcome);

// Every event of the transform call gets an entry; a transform error gives its event the error's
// outcome (SY_ABORT, SY_RETRY or SY_SKIPPED; anything else aborts).
std::vector<EventOutcome> outcomes_from_transform(const TransformRead &result, size_t event_count);

// Folds one request's send result into its events.
void settle_request(const RequestRead &request, const SendRead &sent, std::vector<EventOutcome> &events);

// The request's events are to be retried for `why` (not sent, or no usable send result).
void retry_request(const RequestRead &request, std::string_view why, std::vector<EventOutcome> &events);

// The request's events were not sent (held back), unless a send already settled them worse.
void hold_back_request(const RequestRead &request, std::vector<EventOutcome> &events);

// Whether the request's events are settled so that their users' later events must wait: one of
// them must be retried, was throttled or was held back.
bool holds_back_its_users(const RequestRead &request, const std::vector<EventOutcome> &events);

// The request's events are dead letters for `why` (it ended the plugin's worker every time).
void abort_request(const RequestRead &request, std::string_view why, std::vector<EventOutcome> &events);

// Events no request or error carried (a plugin bug) are aborted with a message saying so.
void abort_uncarried(std::vector<EventOutcome> &events);

}  // namespace switchyard
