// Delivering one batch through one instance, and finding the culprit when the plugin's worker
// ends during a call.
#include "host/router/batch_delivery.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "host/log/log.h"

namespace switchyard {

BatchDelivery::BatchDelivery(const std::string &destination, Metrics &metrics, const std::atomic<bool> &stopping,
                             const WatchedCalls &calls, Pacer &pacer, DeliveryPool &pool, uint32_t events_per_request)
    : context_{destination, metrics, stopping, calls, pacer, pool},
      events_per_request_(std::min(events_per_request == 0 ? UINT32_MAX : events_per_request,
                                   calls.destination().plugin().max_events_per_request())) {}

// When the plugin's worker ends during the transform (a crash, or killed at the deadline), the
// batch is split in halves, each delivered on its own, until the event that ends it is alone:
// its batch-mates are delivered, and a lone event that ends the worker twice (the first time may
// have been another destination's call in the same worker) is dead-lettered with the crash.
std::vector<EventOutcome> BatchDelivery::transform_and_send(std::span<const Job> jobs, bool lone_retry) {
    std::vector<sy_borrowed_str> events;
    events.reserve(jobs.size());
    for (const Job &job : jobs) events.push_back({job.payload.data(), job.payload.size()});
    const TransformResult result = context_.calls.transform(events, events_per_request_);
    if (result) {
        std::vector<uint32_t> alone;
        std::vector<EventOutcome> outcomes = BatchSends(context_, *result, jobs).run(alone);
        deliver_alone(jobs, std::move(alone), outcomes);
        return outcomes;
    }
    const std::string &key = context_.destination;
    if (result.crash().empty() || context_.stopping) {
        log::warn("router:" + key, result.problem() + "; its " + std::to_string(jobs.size()) + " events will be retried.");
        return std::vector<EventOutcome>(jobs.size(), EventOutcome{SY_RETRY, 0, result.problem(), 0, true, false});
    }
    if (jobs.size() == 1) {
        if (!lone_retry) return transform_and_send(jobs, true);
        log::error("router:" + key, "Job " + std::to_string(jobs[0].id) + " is dead-lettered: the plugin " +
                                         result.crash() + " transforming it, twice.");
        return {EventOutcome{SY_ABORT, 0, "plugin " + result.crash() + " transforming this event", 0, true, false}};
    }
    const size_t half = jobs.size() / 2;
    std::vector<EventOutcome> outcomes = transform_and_send(jobs.first(half));
    const bool hold_back = std::any_of(outcomes.begin(), outcomes.end(), [](const EventOutcome &o) {
        return o.outcome == SY_RETRY || o.outcome == SY_THROTTLED;
    });
    if (hold_back)  // as after a failed request: a later event of a user must not overtake its earlier one
        outcomes.resize(jobs.size(), held_back_event());
    else
        std::ranges::move(transform_and_send(jobs.subspan(half)), std::back_inserter(outcomes));
    return outcomes;
}

// Each event of a request that ended the plugin's worker at every send, by itself, in event
// order: a user's later event is held back once an earlier one must be retried.
void BatchDelivery::deliver_alone(std::span<const Job> jobs, std::vector<uint32_t> alone,
                                  std::vector<EventOutcome> &outcomes) {
    std::ranges::sort(alone);
    std::set<std::string_view> waiting_users;
    for (const uint32_t i : alone) {
        if (waiting_users.contains(jobs[i].user_key)) {
            outcomes[i] = held_back_event();
            continue;
        }
        outcomes[i] = transform_and_send(jobs.subspan(i, 1)).at(0);
        if (outcomes[i].outcome == SY_RETRY || outcomes[i].outcome == SY_THROTTLED) waiting_users.insert(jobs[i].user_key);
    }
}

}  // namespace switchyard
