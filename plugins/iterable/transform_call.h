// One transform() call: every event mapped, then emitted per event (processor mode: the host
// asked for one event per request) or batched (router mode) into a result the host releases later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "switchyard/sdk/parser_pool.h"
#include "settings.h"
#include "switchyard/plugin.hpp"

namespace iterable {

std::unique_ptr<sy::TransformOutput> transform_events(const Settings &settings, sy::sdk::ParserPool &parsers,
                                                      const sy_borrowed_str *events, size_t count,
                                                      uint32_t max_events_per_request);

}  // namespace iterable
