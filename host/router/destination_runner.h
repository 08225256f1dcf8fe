// Delivery for one destination: its own workers, pacing and in-flight users, so a slow or
// failing destination never delays another.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "host/config/workspace.h"
#include "host/delivery/event_outcome.h"
#include "host/delivery/pacer.h"
#include "host/metrics/metrics.h"
#include "host/plugin/destination.h"
#include "host/router/call_watchdog.h"
#include "host/router/delivery_health.h"
#include "host/router/hung_calls.h"
#include "host/router/watched_calls.h"
#include "host/router/wake_signal.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace switchyard {

class DestinationRunner {
   public:
    // `live()` returns the destination in the snapshot in force (its instance, and those of its
    // connections with their own settings), or null when the destination is gone; it is asked once
    // per batch, so a reload takes effect at the next batch while in-flight batches finish on the
    // instances they started with. `jobs_added`
    // is notified when jobs arrive for the destination; `health` hears how each batch fared (null:
    // none kept, for a caller that reports every outcome itself).
    DestinationRunner(std::string key, DeliveryPolicy policy, Store &store, Metrics &metrics,
                      std::function<std::shared_ptr<const LiveDestination>()> live,
                      std::shared_ptr<WakeSignal> jobs_added, std::shared_ptr<DeliveryHealth> health);
    ~DestinationRunner();

    // Hears each attempted job's outcome and settlement once the store has recorded them (held-back
    // jobs are not settled: they come again). `switchyard send` prints every event's outcome from
    // it. Set before start().
    using SettledListener =
        std::function<void(const Job &job, const EventOutcome &outcome, const JobSettlement &settlement)>;
    void on_settled(SettledListener listener) { settled_listener_ = std::move(listener); }

    void start();
    // Stops claiming new work, lets every in-flight batch finish (or be abandoned at its plugin
    // call's deadline), and waits for the workers.
    void stop();

   private:
    // Workers are detached threads, counted here: one abandoned in a plugin call (call_watchdog.h)
    // cannot be joined, and may return after the runner has gone.
    struct Workers {
        std::mutex mutex;
        std::condition_variable all_ended;
        size_t running = 0;
    };
    // A claimed batch, as its parts (per connection instance) are delivered.
    struct Claimed {
        const LiveDestination &live;
        const std::vector<Job> &jobs;
    };

    void launch_worker();
    void replace_worker();
    void work();
    void idle(uint64_t seen, std::chrono::steady_clock::time_point found_nothing_at);
    void remember_retry(int64_t next_attempt_ms);
    size_t batch_size(const LiveDestination &live) const;
    std::vector<Job> claim(size_t limit);
    void deliver(const LiveDestination &live, const std::vector<Job> &jobs);
    void deliver(const std::shared_ptr<const Destination> &destination, Pacer &pacer, const std::vector<Job> &jobs,
                 const Claimed &claimed);
    void abandon(const std::shared_ptr<const Destination> &destination, const std::vector<Job> &jobs,
                 const std::vector<Job> &claimed, const std::string &reason);
    void settle(const std::vector<Job> &jobs, const std::vector<EventOutcome> &outcomes);
    void count(const std::vector<Job> &jobs, const std::vector<EventOutcome> &outcomes, std::span<const size_t> attempted,
               const std::vector<JobSettlement> &settlements, int64_t now);
    void release_users(const std::vector<Job> &jobs);
    std::shared_ptr<Pacer> pacer_for(const std::shared_ptr<const Destination> &destination);

    const std::string key_;
    const DeliveryPolicy policy_;
    Store &store_;
    Metrics &metrics_;
    const std::function<std::shared_ptr<const LiveDestination>()> live_;

    std::mutex claim_mutex_;               // claim + marking users busy is one step
    std::set<std::string, std::less<>> busy_users_;
    std::mutex pacer_mutex_;
    std::weak_ptr<const Destination> paced_destination_;  // the instance whose limits pacer_ holds
    std::shared_ptr<Pacer> pacer_;
    const std::shared_ptr<WakeSignal> jobs_added_;
    const std::shared_ptr<DeliveryHealth> health_;
    SettledListener settled_listener_;
    std::atomic<int64_t> next_retry_ms_{INT64_MAX};  // earliest retry this runner scheduled, not yet claimed
    std::atomic<bool> stopping_{false};
    const std::shared_ptr<Workers> workers_ = std::make_shared<Workers>();
    const std::shared_ptr<HungCalls> hung_;
    CallWatchdog watchdog_;  // for instances in this process; stopped after the workers
};

}  // namespace switchyard
