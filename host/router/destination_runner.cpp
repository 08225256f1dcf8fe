// A destination's delivery turns: claim due jobs in per-user order, deliver them as one batch
// (batch_delivery.h), settle every job from its own outcome, and post the next turn.
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

// Between two claims that found nothing: while a queue's head waits for retries, appends must
// not make the runner rescan it at each commit.
constexpr auto kEmptyClaimSpacing = std::chrono::milliseconds(25);
// When jobs are due but none could be claimed (their users in flight, a crash suspect waiting for
// another's), the runner looks again after this.
constexpr auto kBlockedLookAgain = std::chrono::milliseconds(1000);
constexpr auto kStoreErrorPause = std::chrono::seconds(1);  // after the store failed, before trying again
// A turn whose destination's last rate key has no slot free for longer than this waits for it on a
// timer, without a thread, and looks again at most this long after (so that stop() never waits long).
constexpr auto kShortestPaceWait = std::chrono::milliseconds(5);
constexpr auto kLongestPaceWait = std::chrono::seconds(1);

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
                                     DeliveryPool &pool, CallWatchdog &watchdog,
                                     std::function<std::shared_ptr<const LiveDestination>()> live,
                                     std::shared_ptr<WakeSignal> jobs_added, std::shared_ptr<DeliveryHealth> health)
    : key_(std::move(key)),
      policy_(policy),
      store_(store),
      metrics_(metrics),
      live_(std::move(live)),
      pool_(pool),
      watchdog_(watchdog),
      jobs_added_(std::move(jobs_added)),
      health_(std::move(health)),
      // Enough to dead-letter one hanging event while every worker still delivers.
      hung_(std::make_shared<HungCalls>(policy_.workers + kTimeoutsToDeadLetter)) {}

DestinationRunner::~DestinationRunner() { stop(); }

// stop() silences the signal before the runner goes: `this` outlives every notification.
void DestinationRunner::start() {
    jobs_added_->listen([this] { wake(); });
    wake();
}

void DestinationRunner::wake() {
    {
        std::lock_guard lock(turns_mutex_);
        if (stopping_) return;
        if (turns_ > 0) {
            look_again_ = true;
            return;
        }
        ++turns_;
    }
    pool_.post(turn_task());
}

void DestinationRunner::wake_if_idle() {
    {
        std::lock_guard lock(turns_mutex_);
        if (stopping_ || turns_ > 0) return;
        ++turns_;
    }
    pool_.post(turn_task());
}

void DestinationRunner::stop() {
    jobs_added_->listen(nullptr);
    std::unique_lock lock(turns_mutex_);
    stopping_ = true;
    turns_ended_.wait(lock, [this] { return turns_ == 0; });
}

// Holds the runner weakly: a posted turn is counted, so stop() waits for it and it finds the
// runner; a timer's turn may come after the runner has gone.
DeliveryPool::Task DestinationRunner::turn_task() {
    return [weak = weak_from_this()] {
        const std::shared_ptr<DestinationRunner> self = weak.lock();
        if (!self) return;
        try {
            self->turn();
        } catch (const CallAbandoned &) {
            DeliveryPool::retire_calling_thread();  // abandon() ended this turn and posted its successor
        }
    };
}

void DestinationRunner::turn() {
    {
        std::lock_guard lock(turns_mutex_);
        if (stopping_) return end_turn_locked();
        look_again_ = false;  // the claim below sees every job committed before now
    }
    const auto started = DeliveryPool::Clock::now();
    std::shared_ptr<const LiveDestination> live = live_();
    if (live && hung_->full(*live)) live.reset();  // until a reload brings a new instance
    // At its rate ceiling a batch would mostly sleep in its pacing on a pool thread: wait here instead.
    if (const auto slot = live ? pacer_for(live->instance)->next_slot_of_last_key(started) : started;
        slot > started + kShortestPaceWait)
        return post_turn_at(std::min(slot, started + kLongestPaceWait));
    std::vector<Job> jobs;
    const size_t limit = live ? batch_size(*live) : 0;
    if (live) {
        try {
            jobs = claim(limit);
        } catch (const std::exception &e) {
            log::error("router:" + key_, std::string("Could not claim jobs: ") + e.what());
            return post_turn_at(started + kStoreErrorPause);
        }
    }
    if (jobs.empty()) {
        live.reset();  // it holds the whole snapshot: an idle runner must not keep old instances alive
        return found_nothing(started);
    }
    if (jobs.size() == limit) add_turn();  // likely more: another turn claims alongside
    try {
        deliver(*live, jobs);
    } catch (const CallAbandoned &) {
        throw;  // abandon() has settled the batch and taken the turn over
    } catch (const std::exception &e) {
        // Nothing was settled: the jobs stay queued and go again, after a pause in case it repeats.
        log::error("router:" + key_, std::string("A batch failed: ") + e.what() + "; its events stay queued.");
        release_users(jobs);
        return post_turn_at(DeliveryPool::Clock::now() + kStoreErrorPause);
    }
    release_users(jobs);
    pool_.post(turn_task());  // behind every other destination's turn: that is what keeps it fair
}

void DestinationRunner::add_turn() {
    {
        std::lock_guard lock(turns_mutex_);
        if (stopping_ || turns_ >= policy_.workers) return;
        ++turns_;
    }
    pool_.post(turn_task());
}

// The turn goes on at `when` (it stays counted).
void DestinationRunner::post_turn_at(DeliveryPool::Clock::time_point when) { pool_.post_at(when, turn_task()); }

// Only the last turn running sleeps the runner: the others just end.
void DestinationRunner::found_nothing(DeliveryPool::Clock::time_point found_nothing_at) {
    {
        std::lock_guard lock(turns_mutex_);
        if (!stopping_ && look_again_) return post_turn_at(found_nothing_at + kEmptyClaimSpacing);
        if (stopping_ || turns_ > 1) return end_turn_locked();
    }
    sleep_until_due();
    std::lock_guard lock(turns_mutex_);
    if (!stopping_ && look_again_) return post_turn_at(DeliveryPool::Clock::now() + kEmptyClaimSpacing);
    end_turn_locked();
}

void DestinationRunner::end_turn_locked() {
    --turns_;
    turns_ended_.notify_all();
}

// Jobs arriving wake the runner (jobs_added); what else can make a job due is time, so a timer
// wakes it when the earliest pending one is. One timer at a time, unless an earlier one is needed.
void DestinationRunner::sleep_until_due() {
    const int64_t now = now_ms();
    std::optional<int64_t> due;
    try {
        due = store_.next_due_ms(key_);
    } catch (const std::exception &e) {
        log::error("router:" + key_, std::string("Could not read when the next job is due: ") + e.what());
        due = now + std::chrono::milliseconds(kStoreErrorPause).count();
    }
    if (!due) return;  // nothing pending
    const int64_t at = *due > now ? *due : now + kBlockedLookAgain.count();
    {
        std::lock_guard lock(turns_mutex_);
        if (wake_timer_ms_ > now && wake_timer_ms_ <= at) return;  // an earlier timer is set
        wake_timer_ms_ = at;
    }
    pool_.post_at(DeliveryPool::Clock::now() + std::chrono::milliseconds(at - now), [weak = weak_from_this(), at] {
        const std::shared_ptr<DestinationRunner> self = weak.lock();
        if (!self) return;
        {
            std::lock_guard lock(self->turns_mutex_);
            if (self->wake_timer_ms_ == at) self->wake_timer_ms_ = INT64_MAX;
        }
        self->wake();
    });
}

// With a backlog a claim fills the plugin's bulk requests; a trickle goes as it comes (a claim
// takes what is there).
size_t DestinationRunner::batch_size(const LiveDestination &live) const {
    if (hung_->one_at_a_time()) return 1;
    return policy_.batch_size.value_or(std::max<size_t>(
        kFullRequestsPerBatch * live.instance->plugin().max_events_per_request(), kLeastDefaultBatchSize));
}

std::vector<Job> DestinationRunner::claim(size_t limit) {
    std::lock_guard lock(claim_mutex_);
    auto busy = [this](std::string_view user) { return busy_users_.find(user) != busy_users_.end(); };
    std::vector<Job> jobs = store_.claim(key_, limit, now_ms(), busy);
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
    // Several hosts on one store pace to their part of the limits: they hold the others' users.
    if (const auto share = store_.partition_share(); share && share->of > 0)
        pacer_->set_share(static_cast<double>(share->held) / static_cast<double>(share->of));
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
        outcomes = BatchDelivery(key_, metrics_, stopping_, calls, pacer, pool_, policy_.events_per_request).run(jobs);
    }
    settle(jobs, outcomes);
}

// On the watchdog's thread while a pool thread is stuck in the plugin: its batch is settled and its
// claim's users freed as if it had returned, the destination is marked degraded, another thread
// takes the stuck one's place in the pool, and the stuck turn's successor is posted.
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
    pool_.replace_stuck_thread();
    std::lock_guard lock(turns_mutex_);
    if (stopping_) return end_turn_locked();
    pool_.post(turn_task());
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
