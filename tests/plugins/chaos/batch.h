// Events → chaos requests: one POST of the events' JSON to the url, as a webhook would build it,
// after setting off the transform faults the events name (faults.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"

namespace chaos {

// The label of every request (send() has only one kind to grade).
inline constexpr std::string_view kRequestKind = "chaos";
// The most events one request carries.
inline constexpr uint32_t kMaxEventsPerRequest = 100;

// The `event` field of a JSON event or of an event inside a request body; "" when it has none.
std::string event_name(const nlohmann::json &event);

// Consecutive events go into requests of at most max_events_per_request events (clamped to
// 1 … kMaxEventsPerRequest): one event's body is its text as given, several make a JSON array of
// their texts. An event that is not a JSON object becomes an SY_ABORT error with status 400.
std::unique_ptr<sy::TransformOutput> build_requests(const Settings &settings, const sy_borrowed_str *events,
                                                    size_t count, uint32_t max_events_per_request);

}  // namespace chaos
