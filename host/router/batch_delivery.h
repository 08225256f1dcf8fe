// One claimed batch through one instance: transformed, its requests sent in the plugin's order
// under the pacer, each event's outcome gathered. When the plugin's worker ends during a call
// (isolation), the culprit is found and only it is dead-lettered.
#pragma once

#include <atomic>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/delivery/event_outcome.h"
#include "host/delivery/pacer.h"
#include "host/metrics/metrics.h"
#include "host/router/watched_calls.h"
#include "host/store/store.h"

namespace switchyard {

// The message of events not sent because an earlier request of their batch failed.
inline constexpr std::string_view kHeldBack = "not sent: an earlier request of its batch failed, or the host is stopping";

class BatchDelivery {
   public:
    // `destination` names it in logs and metrics; once `stopping`, what is not sent yet is held back.
    BatchDelivery(const std::string &destination, Metrics &metrics, const std::atomic<bool> &stopping,
                  const WatchedCalls &calls, Pacer &pacer);
    // One outcome per job, in order.
    std::vector<EventOutcome> run(std::span<const Job> jobs) { return transform_and_send(jobs); }

   private:
    std::vector<EventOutcome> transform_and_send(std::span<const Job> jobs, bool lone_retry = false);
    std::vector<EventOutcome> send_all(const TransformRead &result, size_t event_count, std::vector<uint32_t> &alone);
    SendResult send_through_crashes(const RequestRead &request);

    const std::string &key_;
    Metrics &metrics_;
    const std::atomic<bool> &stopping_;
    const WatchedCalls &calls_;
    Pacer &pacer_;
};

}  // namespace switchyard
