// What one webhook request may carry, declared in the plugin's table (sy_plugin) and enforced
// by transform.
#pragma once

#include <cstdint>

namespace webhook {

// batchSize's ceiling and the table's max_events_per_request.
constexpr uint32_t kMaxEventsPerRequest = 1000;
// The largest body the plugin builds: 4 MiB, as much as the host's own ingestion accepts in one
// request. A batch is cut before it would exceed it; a receiver with a lower cap (nginx's default
// is 1 MiB) needs a smaller batchSize.
constexpr uint64_t kMaxBodyBytes = 4ull * 1024 * 1024;

}  // namespace webhook
