// Delivering one batch through one instance, and finding the culprit when the plugin's worker
// ends during a call.
#include "host/router/batch_delivery.h"

#include <algorithm>
#include <thread>

#include "host/log/log.h"

namespace switchyard {
namespace {

constexpr unsigned kSendCrashesToDeadLetter = 3;  // sends of one request that ended the plugin's worker

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

}  // namespace

BatchDelivery::BatchDelivery(const std::string &destination, Metrics &metrics, const std::atomic<bool> &stopping,
                             const WatchedCalls &calls, Pacer &pacer)
    : key_(destination), metrics_(metrics), stopping_(stopping), calls_(calls), pacer_(pacer) {}

// When the plugin's worker ends during the transform (a crash, or killed at the deadline), the
// batch is split in halves, each delivered on its own, until the event that ends it is alone:
// its batch-mates are delivered, and a lone event that ends the worker twice (the first time may
// have been another destination's call in the same worker) is dead-lettered with the crash.
std::vector<EventOutcome> BatchDelivery::transform_and_send(std::span<const Job> jobs, bool lone_retry) {
    std::vector<sy_borrowed_str> events;
    events.reserve(jobs.size());
    for (const Job &job : jobs) events.push_back({job.payload.data(), job.payload.size()});
    const TransformResult result = calls_.transform(events, calls_.destination().plugin().max_events_per_request());
    if (result) {
        std::vector<uint32_t> alone;
        std::vector<EventOutcome> outcomes = send_all(*result, jobs.size(), alone);
        for (const uint32_t i : alone) outcomes[i] = transform_and_send(jobs.subspan(i, 1)).at(0);
        return outcomes;
    }
    if (result.crash().empty() || stopping_) {
        log::warn("router:" + key_, result.problem() + "; its " + std::to_string(jobs.size()) + " events will be retried.");
        return std::vector<EventOutcome>(jobs.size(), EventOutcome{SY_RETRY, 0, result.problem(), 0, true, false});
    }
    if (jobs.size() == 1) {
        if (!lone_retry) return transform_and_send(jobs, true);
        log::error("router:" + key_, "Job " + std::to_string(jobs[0].id) + " is dead-lettered: the plugin " +
                                         result.crash() + " transforming it, twice.");
        return {EventOutcome{SY_ABORT, 0, "plugin " + result.crash() + " transforming this event", 0, true, false}};
    }
    const size_t half = jobs.size() / 2;
    std::vector<EventOutcome> outcomes = transform_and_send(jobs.first(half));
    const bool hold_back = std::any_of(outcomes.begin(), outcomes.end(), [](const EventOutcome &o) {
        return o.outcome == SY_RETRY || o.outcome == SY_THROTTLED;
    });
    if (hold_back)  // as after a failed request: a later event of a user must not overtake its earlier one
        outcomes.resize(jobs.size(), EventOutcome{SY_RETRY, 0, std::string(kHeldBack), 0, true, false});
    else
        std::ranges::move(transform_and_send(jobs.subspan(half)), std::back_inserter(outcomes));
    return outcomes;
}

// Requests go out in the plugin's order, which keeps each user's order. After a request that
// must be retried, the rest of the batch is held back: sending a user's later request before
// the earlier one succeeds would break that order. A request of several events that ends the
// plugin's worker at every send holds back the rest too, and its events go into `alone`: the
// caller delivers each by itself, so that only the one that ends the worker is dead-lettered.
std::vector<EventOutcome> BatchDelivery::send_all(const TransformRead &result, size_t event_count,
                                                  std::vector<uint32_t> &alone) {
    std::vector<EventOutcome> outcomes = outcomes_from_transform(result, event_count);
    bool held_back = false;
    for (const RequestRead &request : result.requests) {
        if (held_back || stopping_) {
            retry_request(request, kHeldBack, outcomes);
            continue;
        }
        const std::string_view rate_key = text(request.fields.rate_key);
        std::this_thread::sleep_until(pacer_.reserve(rate_key));
        const SendResult sent = send_through_crashes(request);
        const sy_outcome outcome = sent ? sent->fields.outcome : SY_RETRY;
        if (outcome == SY_THROTTLED) pacer_.on_throttled(rate_key, std::chrono::milliseconds(sent->fields.retry_after_ms));
        if (outcome == SY_OK) pacer_.on_success(rate_key);
        metrics_.add("switchyard_requests_total", {{"destination", key_}, {"outcome", std::string(outcome_name(outcome))}});
        if (sent) {
            settle_request(request, *sent, outcomes);
        } else if (!sent.crash().empty() && !stopping_ && request.event_indexes.size() > 1) {
            alone.insert(alone.end(), request.event_indexes.begin(), request.event_indexes.end());
            held_back = true;
            continue;
        } else if (!sent.crash().empty() && !stopping_) {
            abort_request(request, "plugin " + sent.crash() + " sending this request, " +
                                       std::to_string(kSendCrashesToDeadLetter) + " times",
                          outcomes);
            continue;
        } else {
            log::warn("router:" + key_, sent.problem() + "; the events of its \"" + std::string(text(request.fields.kind)) +
                                            "\" request will be retried.");
            retry_request(request, sent.problem(), outcomes);
        }
        held_back = outcome == SY_RETRY || outcome == SY_THROTTLED;
    }
    abort_uncarried(outcomes);
    return outcomes;
}

// A request whose send ends the plugin's worker is sent again (to the restarted worker), up to
// kSendCrashesToDeadLetter times in all; the last answer, or loss, is returned.
SendResult BatchDelivery::send_through_crashes(const RequestRead &request) {
    SendResult sent = calls_.send(request.to_send());
    for (unsigned tries = 1; !sent && !sent.crash().empty() && tries < kSendCrashesToDeadLetter && !stopping_; ++tries) {
        log::warn("router:" + key_, "The plugin " + sent.crash() + " sending a \"" + std::string(text(request.fields.kind)) +
                                        "\" request; it is sent again.");
        sent = calls_.send(request.to_send());
    }
    return sent;
}

}  // namespace switchyard
