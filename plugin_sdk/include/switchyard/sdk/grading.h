// The outcome an HTTP answer gives a request, as every destination grades it: 2xx OK, 429
// THROTTLED (with Retry-After), 5xx, timeouts and connection errors RETRY, other 4xx ABORT.
// What an answer's body says (messages, per-item failures of a bulk call) is the plugin's part.
#pragma once

#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/http_client.h"

namespace sy::sdk {

// `http_status` 0 means no answer arrived (timeout, connection refused or dropped).
sy_outcome outcome_of_status(long http_status);

// Sets the request-level fields of `out` from `answer`: http_status, outcome, and retry_after_ms
// when the request failed and the destination sent a Retry-After. Leaves message and events.
void grade_status(const HttpAnswer &answer, SendOutput &out);

}  // namespace sy::sdk
