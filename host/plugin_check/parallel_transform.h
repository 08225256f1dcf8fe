// Calling one destination's transform from many threads at once, as the host's workers do.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "host/plugin/destination.h"

namespace switchyard::plugin_check {

inline constexpr size_t kThreads = 8;

// Each of kThreads threads, started together, calls transform(events, max_events) `rounds` times
// and passes every result to `inspect` (on its own thread); results are released only once every
// thread has made all of its calls. Returns the result_text of every call, thread by thread.
std::vector<std::string> transform_in_parallel(const Destination &destination, std::span<const sy_str_view> events,
                                               uint32_t max_events, size_t rounds,
                                               const std::function<void(const TransformResult &)> &inspect = {});

}  // namespace switchyard::plugin_check
