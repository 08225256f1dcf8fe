// Settling each event of a call from the requests that carry it: an event is delivered only
// when every request carrying it succeeded; otherwise the worst outcome wins.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/plugin.h"

namespace switchyard {

struct EventOutcome {
    sy_outcome outcome = SY_OK;
    uint32_t status = 0;
    std::string message;
    uint32_t retry_after_ms = 0;
    bool carried = false;  // some request or error accounted for this event
};

// OK < THROTTLED < RETRY < ABORT: what an event becomes when two requests disagree.
int severity(sy_outcome outcome);

std::string_view outcome_name(sy_outcome outcome);  // "ok", "retry", "throttled", "abort"

// Every event of the transform call gets an entry; transform errors abort their event.
std::vector<EventOutcome> outcomes_from_transform(const sy_transform_result &result, size_t event_count);

// Folds one request's send result (null: the plugin produced none) into its events.
void settle_request(const sy_request &request, const sy_send_result *sent, std::vector<EventOutcome> &events);

// Events no request or error carried (a plugin bug) are aborted with a message saying so.
void abort_uncarried(std::vector<EventOutcome> &events);

}  // namespace switchyard
