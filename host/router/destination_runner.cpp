// A destination's delivery loop: claim due jobs in per-user order, deliver them as one batch
// (batch_delivery.h), settle every job from its own outcome.
#include "host/router/destination_runner.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "host/delivery/event_outcome.h"
#include "host/filtering/filtered_events_metric.h"
#include "host/log/log.h"
#include "host/router/batch_delivery.h"
#include "host/router/connection_batches.h"
#include "host/router/crash_journal.h"
#include "host/router/retry_policy.h"

namespace switchyard {
namespace {

// An idle worker sleeps until jobs are added (appends notify), a retry it scheduled is due, or
// this long has passed: for retries scheduled before a restart and jobs another process added
// (`switchyard dead-letter replay`).
constexpr auto kLongestIdle = std::chrono::milliseconds(1000);
// Between two claims that found nothing: while a queue's head waits for retries, appends must
// not make every worker rescan it at each commit.
constexpr auto kEmptyClaimSpacing = std::chrono::milliseconds(25);
constexpr auto kStoreErrorPause = std::chrono::seconds(1);  // after the store failed, before trying again

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Trouble trouble_of(const EventOutcome &outcome, const JobSettlement &settlement) {
    if (settlement.kind == Settlement::dead) return Trouble::dead_lettered;
    return outcome.outcome == SY_THROTTLED ? Trouble::throttled : Trouble::retried;
}

// Per kind of trouble, the reason of the last event that had it.
SettledBatch settled_batch(const std::vector<EventOutcome> &outcomes, std::span<const size_t> attempted,
                           const std::vector<JobSettlement> &settlements) {
    SettledBatch batch;
    for (size_t k = 0; k < settlements.size(); ++k) {
        if (settlements[k].kind == Settlement::delivered) {
            ++batch.delivered;
            continue;
        }
        const auto kind = static_cast<size_t>(trouble_of(outcomes[attempted[k]], settlements[k]));
        ++batch.troubles.at(kind);
        batch.reasons.at(kind) = settlements[k].reason;
    }
    return batch;
}

}  // namespace

DestinationRunner::DestinationRunner(std::string key, DeliveryPolicy policy, Store &store, Metrics &metrics,
                                     std::function<std::shared_ptr<const LiveDestination>()> live,
                                     std::shared_ptr<WakeSignal> jobs_added, std::shared_ptr<DeliveryHealth> health)
    : key_(std::move(key)),
      policy_(policy),
      store_(store),
      metrics_(metrics),
      live_(std::move(live)),
      jobs_added_(std::move(jobs_added)),
      health_(std::move(health)),
      // Enough to dead-letter one hanging event while every worker still delivers.
      hung_(std::make_shared<HungCalls>(policy_.workers + kTimeoutsToDeadLetter)) {}

DestinationRunner::~DestinationRunner() { stop(); }

void DestinationRunner::start() {
    for (size_t i = 0; i < policy_.workers; ++i) {
        {
            std::lock_guard lock(workers_->mutex);
            ++workers_->running;
        }
        launch_worker();
    }
}

void DestinationRunner::launch_worker() {
    std::thread([this, workers = workers_] {
        try {
            work();
        } catch (const CallAbandoned &) {
            return;  // its place was taken (replace_worker); `this` may be gone
        }
        std::lock_guard lock(workers->mutex);
        --workers->running;
        workers->all_ended.notify_all();
    }).detach();
}

// The abandoned worker's place goes to a new one, unless the runner is stopping.
void DestinationRunner::replace_worker() {
    std::lock_guard lock(workers_->mutex);
    if (!stopping_) return launch_worker();
    --workers_->running;
    workers_->all_ended.notify_all();
}

void DestinationRunner::stop() {
    stopping_ = true;
    jobs_added_->notify();  // ends the idle waits (a replacing runner of the key claims once more, harmlessly)
    {
        std::unique_lock lock(workers_->mutex);
        workers_->all_ended.wait(lock, [this] { return workers_->running == 0; });
    }
    watchdog_.stop();
}

void DestinationRunner::work() {
    while (!stopping_) {
        const uint64_t seen = jobs_added_->generation();
        std::shared_ptr<const LiveDestination> live = live_();
        if (live && hung_->full(*live)) live.reset();  // until a reload brings a new instance
        std::vector<Job> jobs;
        const size_t limit = live ? batch_size(*live) : 0;
        if (live) {
            try {
                jobs = claim(limit);
            } catch (const std::exception &e) {
                log::error("router:" + key_, std::string("Could not claim jobs: ") + e.what());
                std::this_thread::sleep_for(kStoreErrorPause);
                continue;
            }
        }
        if (jobs.empty()) {
            live.reset();  // it holds the whole snapshot: an idle worker must not keep old instances alive
            idle(seen, std::chrono::steady_clock::now());
            continue;
        }
        if (jobs.size() == limit) jobs_added_->notify();  // likely more: idle peers claim too
        deliver(*live, jobs);
        release_users(jobs);
    }
}

void DestinationRunner::idle(uint64_t seen, std::chrono::steady_clock::time_point found_nothing_at) {
    if (stopping_) return;  // stop() sets it before notifying: a `seen` read after that notification
    const int64_t until_retry_ms = std::clamp<int64_t>(next_retry_ms_.load() - now_ms(), 0, kLongestIdle.count());
    const auto earliest = found_nothing_at + kEmptyClaimSpacing;
    const auto latest = found_nothing_at + std::chrono::milliseconds(until_retry_ms);
    if (jobs_added_->wait_until(seen, std::max(earliest, latest)) && !stopping_) std::this_thread::sleep_until(earliest);
}

void DestinationRunner::remember_retry(int64_t next_attempt_ms) {
    for (int64_t earliest = next_retry_ms_.load();
         next_attempt_ms < earliest && !next_retry_ms_.compare_exchange_weak(earliest, next_attempt_ms);) {
    }
}

// With a backlog a claim fills the plugin's bulk requests; a trickle goes as it comes (a claim
// takes what is there).
size_t DestinationRunner::batch_size(const LiveDestination &live) const {
    if (hung_->one_at_a_time()) return 1;
    return policy_.batch_size.value_or(std::max<size_t>(
        kFullRequestsPerBatch * live.instance->plugin().max_events_per_request(), kLeastDefaultBatchSize));
}

std::vector<Job> DestinationRunner::claim(size_t limit) {
    // Retries due by now are among what this claim sees: forget them (later ones set it again).
    const int64_t now = now_ms();
    for (int64_t due = next_retry_ms_.load(); due <= now && !next_retry_ms_.compare_exchange_weak(due, INT64_MAX);) {
    }
    std::lock_guard lock(claim_mutex_);
    auto busy = [this](std::string_view user) { return busy_users_.find(user) != busy_users_.end(); };
    std::vector<Job> jobs = store_.claim(key_, limit, now, busy);
    for (const Job &job : jobs) busy_users_.insert(job.user_key);
    return jobs;
}

void DestinationRunner::release_users(const std::vector<Job> &jobs) {
    std::lock_guard lock(claim_mutex_);
    for (const Job &job : jobs) busy_users_.erase(job.user_key);
}

std::shared_ptr<Pacer> DestinationRunner::pacer_for(const std::shared_ptr<const Destination> &destination) {
    std::lock_guard lock(pacer_mutex_);
    if (!pacer_ || paced_destination_.lock() != destination) {
        pacer_ = std::make_shared<Pacer>(destination->rate_limits());
        paced_destination_ = destination;
    }
    return pacer_;
}

// Jobs of sources with their own instance go through it, in batches split so that no user's
// order breaks (connection_batches.h); the deferred ones are claimed again next round. One pacer
// for the destination, whatever the instance: the API's limits are the destination's.
void DestinationRunner::deliver(const LiveDestination &live, const std::vector<Job> &jobs) {
    const std::shared_ptr<Pacer> pacer = pacer_for(live.instance);
    const Claimed claimed{live, jobs};
    if (live.connections.empty()) return deliver(live.instance, *pacer, jobs, claimed);
    const ConnectionSplit split = split_by_connection(
        jobs, [&](const Job &job) { return live.connections.contains(job.source) ? job.source : std::string(); });
    for (const ConnectionBatch &batch : split.batches) {
        std::vector<Job> part;
        part.reserve(batch.jobs.size());
        for (size_t i : batch.jobs) part.push_back(jobs[i]);
        deliver(live.instance_for(batch.connection), *pacer, part, claimed);
    }
}

void DestinationRunner::deliver(const std::shared_ptr<const Destination> &destination, Pacer &pacer,
                                const std::vector<Job> &jobs, const Claimed &claimed) {
    std::vector<EventOutcome> outcomes;
    {
        const bool here = destination->in_this_process();
        CrashJournalEntry in_plugin_calls(store_, key_, jobs, here);
        const WatchedCalls calls(*destination, here ? &watchdog_ : nullptr, claimed.live.config.containment.deadlines(),
                                 [&](const std::string &reason) {
                                     in_plugin_calls.end();  // its jobs are handed back now
                                     abandon(destination, jobs, claimed.jobs, reason);
                                 },
                                 hung_);
        outcomes = BatchDelivery(key_, metrics_, stopping_, calls, pacer, policy_.events_per_request).run(jobs);
    }
    settle(jobs, outcomes);
}

// On the watchdog's thread while the worker is stuck in the plugin: its batch is settled and its
// claim's users freed as if it had returned, the destination is marked degraded, and another
// worker takes the stuck one's place.
void DestinationRunner::abandon(const std::shared_ptr<const Destination> &destination, const std::vector<Job> &jobs,
                                const std::vector<Job> &claimed, const std::string &reason) {
    const size_t stuck = hung_->stuck_in(destination.get());
    std::string degraded = "A plugin call did not return within its deadline (in-process): " + std::to_string(stuck) +
                           " worker thread(s) stuck in the plugin";
    degraded += stuck >= hung_->most_stuck()
                    ? ", the most allowed: delivery stopped until a reload replaces the instance."
                    : "; a reload replaces the instance.";
    log::error("router:" + key_, "Abandoned a worker: " + reason + "; its " + std::to_string(jobs.size()) +
                                     " events are handed back. " + degraded);
    settle(jobs, hung_->timed_out(jobs, reason));
    release_users(claimed);
    if (health_) health_->degrade(degraded, destination);
    replace_worker();
}

// Held-back events were not attempted: they stay queued as they are (no attempt, no retry
// window); the store keeps each behind its user's earlier job that waits for a retry.
void DestinationRunner::settle(const std::vector<Job> &jobs, const std::vector<EventOutcome> &outcomes) {
    thread_local std::mt19937_64 random{std::random_device{}()};
    const int64_t now = now_ms();
    std::vector<size_t> attempted;
    std::vector<JobSettlement> settlements;
    settlements.reserve(jobs.size());
    for (size_t i = 0; i < jobs.size(); ++i) {
        const EventOutcome &outcome = outcomes[i];
        if (outcome.held_back) continue;
        attempted.push_back(i);
        if (outcome.outcome == SY_OK || outcome.outcome == SY_SKIPPED)  // skipped: done, nothing to deliver
            settlements.push_back({jobs[i].id, Settlement::delivered, 0, {}});
        else if (outcome.outcome == SY_ABORT)
            settlements.push_back({jobs[i].id, Settlement::dead, 0, failure_reason(outcome)});
        else
            settlements.push_back(retry_or_dead_letter(jobs[i], outcome, policy_, now, random));
        if (settlements.back().kind == Settlement::retry) remember_retry(settlements.back().next_attempt_ms);
    }
    try {
        store_.settle(settlements, now);
    } catch (const std::exception &e) {
        // The jobs stay pending and are delivered again later: at-least-once, never lost.
        log::error("router:" + key_, std::string("Could not record delivery results: ") + e.what());
        std::this_thread::sleep_for(kStoreErrorPause);
        return;
    }
    hung_->settled(settlements);
    count(jobs, outcomes, attempted, settlements, now);
    if (health_) health_->record(settled_batch(outcomes, attempted, settlements), now);
    if (settled_listener_)
        for (size_t k = 0; k < attempted.size(); ++k) settled_listener_(jobs[attempted[k]], outcomes[attempted[k]], settlements[k]);
}

// Metrics follow the store: what they count is recorded, so /metrics and the queue agree.
void DestinationRunner::count(const std::vector<Job> &jobs, const std::vector<EventOutcome> &outcomes,
                              std::span<const size_t> attempted, const std::vector<JobSettlement> &settlements,
                              int64_t now) {
    const Labels labels = {{"destination", key_}};
    if (const size_t held_back = jobs.size() - attempted.size(); held_back > 0)
        metrics_.add("switchyard_events_held_back_total", labels, static_cast<double>(held_back));
    for (size_t k = 0; k < attempted.size(); ++k) {
        const size_t i = attempted[k];
        switch (settlements[k].kind) {
            case Settlement::delivered:
                if (outcomes[i].outcome == SY_SKIPPED) {
                    metrics_.add(filtering::kEventsFilteredMetric,
                                 {{"destination", key_}, {"reason", outcomes[i].skipped_by_host ? "message_type" : "plugin"}});
                    break;
                }
                metrics_.add("switchyard_events_delivered_total", labels);
                metrics_.observe("switchyard_delivery_latency_seconds", labels, (now - jobs[i].created_ms) / 1000.0);
                break;
            case Settlement::dead: metrics_.add("switchyard_events_dead_lettered_total", labels); break;
            case Settlement::retry: metrics_.add("switchyard_events_retried_total", labels); break;
        }
    }
}

}  // namespace switchyard
