// Delivery for one destination: its turns on the shared delivery pool (at most `workers` at once),
// its pacing and in-flight users. A turn claims one batch, delivers and settles it, and posts the
// next turn behind every other destination's; a runner with nothing due posts nothing, and sleeps
// until jobs arrive, its next retry is due, or the store changed under it (router.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/delivery/event_outcome.h"
#include "host/delivery/pacer.h"
#include "host/metrics/metrics.h"
#include "host/plugin/destination.h"
#include "host/router/call_watchdog.h"
#include "host/router/delivery_health.h"
#include "host/router/delivery_pool.h"
#include "host/router/hung_calls.h"
#include "host/router/watched_calls.h"
#include "host/router/wake_signal.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace switchyard {

class DestinationRunner : public std::enable_shared_from_this<DestinationRunner> {
   public:
    // `live()` returns the destination in the snapshot in force (its instance, and those of its
    // connections with their own settings), or null when the destination is gone; it is asked once
    // per batch, so a reload takes effect at the next batch while in-flight batches finish on the
    // instances they started with. `jobs_added`
    // is notified when jobs arrive for the destination; `health` hears how each batch fared (null:
    // none kept, for a caller that reports every outcome itself). Turns run on `pool`; in-process
    // plugin calls are watched by `watchdog`. Made with std::make_shared: turns and timers hold it
    // weakly.
    DestinationRunner(std::string key, DeliveryPolicy policy, Store &store, Metrics &metrics, DeliveryPool &pool,
                      CallWatchdog &watchdog, std::function<std::shared_ptr<const LiveDestination>()> live,
                      std::shared_ptr<WakeSignal> jobs_added, std::shared_ptr<DeliveryHealth> health);
    ~DestinationRunner();

    // Hears each attempted job's outcome and settlement once the store has recorded them (held-back
    // jobs are not settled: they come again). `switchyard send` prints every event's outcome from
    // it. Set before start().
    using SettledListener =
        std::function<void(const Job &job, const EventOutcome &outcome, const JobSettlement &settlement)>;
    void on_settled(SettledListener listener) { settled_listener_ = std::move(listener); }

    // Looks for due jobs at once.
    void start();
    // Looks for due jobs, unless a turn runs or is posted (a turn that finds nothing then looks
    // again, so nothing committed before this call is missed).
    void wake();
    // Looks for due jobs unless a turn runs or is posted: for news that may be old (router.h).
    void wake_if_idle();
    // Stops claiming new work, lets every in-flight batch finish (or be abandoned at its plugin
    // call's deadline), and waits for the turns posted or running.
    void stop();

   private:
    // A claimed batch, as its parts (per connection instance) are delivered.
    struct Claimed {
        const LiveDestination &live;
        const std::vector<Job> &jobs;
    };

    DeliveryPool::Task turn_task();
    void turn();
    void post_turn_at(DeliveryPool::Clock::time_point when);
    void add_turn();
    void found_nothing(DeliveryPool::Clock::time_point found_nothing_at);
    void sleep_until_due();
    void end_turn_locked();
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
    DeliveryPool &pool_;
    CallWatchdog &watchdog_;  // for instances in this process
    const std::shared_ptr<WakeSignal> jobs_added_;
    const std::shared_ptr<DeliveryHealth> health_;
    SettledListener settled_listener_;
    std::atomic<bool> stopping_{false};
    const std::shared_ptr<HungCalls> hung_;

    std::mutex turns_mutex_;  // guards what follows
    std::condition_variable turns_ended_;
    size_t turns_ = 0;       // posted or running, at most policy_.workers
    bool look_again_ = false;  // woken since the last claim began
    int64_t wake_timer_ms_ = INT64_MAX;  // the earliest timer posted to wake the runner, not yet fired
};

}  // namespace switchyard
