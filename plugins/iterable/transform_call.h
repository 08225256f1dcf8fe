// One transform() call: every event mapped, then emitted per event (processor mode) or
// batched (router mode) into a result the host releases later.
#pragma once

#include <cstddef>
#include <memory>

#include "switchyard/sdk/parser_pool.h"
#include "settings.h"
#include "switchyard/plugin.hpp"

namespace iterable {

std::unique_ptr<sy::TransformOutput> transform_events(const Settings &settings, sy::sdk::ParserPool &parsers,
                                                      const sy_str_view *events, size_t count, sy_batching batching);

}  // namespace iterable
