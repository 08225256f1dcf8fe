// One claimed batch through one instance: transformed, its requests sent in per-user order under
// the pacer (batch_sends.h), each event's outcome gathered. When the plugin's worker ends during a
// call (isolation), the culprit is found and only it is dead-lettered.
#pragma once

#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "host/delivery/event_outcome.h"
#include "host/delivery/pacer.h"
#include "host/metrics/metrics.h"
#include "host/router/batch_sends.h"
#include "host/router/watched_calls.h"
#include "host/store/store.h"

namespace switchyard {

class BatchDelivery {
   public:
    // `destination` names it in logs and metrics; once `stopping`, what is not sent yet is held back.
    // A request carries at most `events_per_request` events (0: as many as the plugin declares).
    BatchDelivery(const std::string &destination, Metrics &metrics, const std::atomic<bool> &stopping,
                  const WatchedCalls &calls, Pacer &pacer, DeliveryPool &pool, uint32_t events_per_request = 0);
    // One outcome per job, in order. Events held back (not sent because an earlier request of
    // their user failed, or the host is stopping) are marked EventOutcome::held_back.
    std::vector<EventOutcome> run(std::span<const Job> jobs) { return transform_and_send(jobs); }

   private:
    std::vector<EventOutcome> transform_and_send(std::span<const Job> jobs, bool lone_retry = false);
    void deliver_alone(std::span<const Job> jobs, std::vector<uint32_t> alone, std::vector<EventOutcome> &outcomes);

    const SendContext context_;
    const uint32_t events_per_request_;  // the transform's limit
};

}  // namespace switchyard
