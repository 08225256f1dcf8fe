// Events → webhook requests: a pure function of the settings and the events (no I/O).
#pragma once

#include <cstdint>
#include <memory>

#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/parser_pool.h"

namespace webhook {

// The request label send() grades by (every webhook request is the same kind).
inline constexpr std::string_view kRequestKind = "webhook";
// The rate key of every request when requestsPerSecond is set.
inline constexpr std::string_view kRateKey = "webhook";

// Consecutive events, in input order, go into requests of at most
// min(batchSize, max_events_per_request) events and kMaxBodyBytes bytes. One event: the body is
// the event's text as given; several: a JSON array of their texts joined by commas. An event
// that is not a JSON object becomes an SY_ABORT error with status 400.
std::unique_ptr<sy::TransformOutput> build_requests(const Settings &settings, sy::sdk::ParserPool &parsers,
                                                    const sy_borrowed_str *events, size_t count,
                                                    uint32_t max_events_per_request);

}  // namespace webhook
