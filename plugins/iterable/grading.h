// Grading Iterable's answer to one request, per request and per event (SPEC §9).
#pragma once

#include <string_view>

#include "switchyard/sdk/http_client.h"
#include "switchyard/plugin.hpp"

namespace iterable {

// 2xx → OK (bulk endpoints: items named in Iterable's failure lists ABORT with the reference's
// message); 429 → THROTTLED with Retry-After; 5xx and no answer → RETRY; other 4xx → ABORT
// with Iterable's message. `kind` is the request's kind as transform labelled it (e.g.
// "users/bulkUpdate"), never read from its URL, which an `endpoint` override may shape freely;
// `request_body` is what was sent, to align bulk items with events.
void grade(std::string_view kind, std::string_view request_body, size_t event_count,
           const sy::sdk::HttpAnswer &answer, sy::SendOutput &out);

}  // namespace iterable
