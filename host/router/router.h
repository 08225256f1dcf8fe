// The router: one DestinationRunner per destination of the routing snapshot in force, all on one
// delivery pool of a fixed number of threads. An idle router sleeps: runners wake on new jobs and
// due retries, and once a second one look at the store notices what another process committed.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "host/metrics/metrics.h"
#include "host/router/call_watchdog.h"
#include "host/router/delivery_pool.h"
#include "host/router/destination_runner.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace switchyard {

// Enough for a few destinations at their rate limit (a turn waits for its pacing slot on its
// thread) while hundreds of others trickle; `serve --delivery-threads`.
inline constexpr size_t kDefaultDeliveryThreads = 64;

class Router {
   public:
    // `delivery_threads`: the pool's size, however many destinations there are.
    Router(Store &store, Metrics &metrics, size_t delivery_threads);
    ~Router();

    // Makes the running set match `snapshot`: new destinations start, removed ones stop (their
    // jobs stay in the store), changed delivery policies restart their runner. Batches in
    // flight finish on the instance they started with.
    void apply(const std::shared_ptr<const Snapshot> &snapshot);

    // Drains: no new batches; in-flight ones finish. Returns when every worker has stopped.
    void stop();

    // Wakes the idle workers of these destinations (the store calls it after committing jobs).
    // Never waits for a reload or a runner: ingestion commits go through here.
    void jobs_added(std::span<const std::string_view> destinations);

    // The last delivery error of each destination that had one since the host started (redacted).
    std::map<std::string, LastError> last_errors() const;
    // The destinations whose instance had a plugin call abandoned at its deadline, and why.
    std::map<std::string, Degradation> degradations() const;

   private:
    std::shared_ptr<const LiveDestination> live_of(const std::string &key) const;
    std::shared_ptr<WakeSignal> signal_of(std::string_view key);
    std::shared_ptr<DeliveryHealth> health_of(const std::string &key);
    void look_for_outside_changes();

    Store &store_;
    Metrics &metrics_;
    CallWatchdog watchdog_;  // for every in-process instance; stopped after the pool
    DeliveryPool pool_;
    uint64_t data_version_ = 0;  // the store's, as look_for_outside_changes last saw it
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::mutex runners_mutex_;
    std::map<std::string, std::shared_ptr<DestinationRunner>> runners_;
    std::map<std::string, DeliveryPolicy> policies_;
    std::mutex signals_mutex_;  // held only to find a signal: never while a runner stops
    std::map<std::string, std::shared_ptr<WakeSignal>, std::less<>> signals_;  // one per key, kept across runners
    mutable std::mutex health_mutex_;
    std::map<std::string, std::shared_ptr<DeliveryHealth>> health_;  // one per key, kept across runners
    bool stopped_ = false;  // under runners_mutex_
};

// Declares the delivery metrics families the router and the /metrics handler use.
void declare_delivery_metrics(Metrics &metrics);

}  // namespace switchyard
