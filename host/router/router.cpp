// Keeping one runner per configured destination.
#include "host/router/router.h"

#include "host/filtering/filtered_events_metric.h"
#include "host/log/log.h"

namespace switchyard {

void declare_delivery_metrics(Metrics &metrics) {
    using T = Metrics::Type;
    metrics.declare("switchyard_events_delivered_total", T::counter, "Events delivered, per destination.");
    metrics.declare("switchyard_events_retried_total", T::counter, "Delivery attempts that will be retried.");
    metrics.declare("switchyard_events_dead_lettered_total", T::counter, "Events moved to the dead-letter table.");
    metrics.declare("switchyard_events_held_back_total", T::counter,
                    "Events not sent because an earlier event of their user must be retried first, or the host was "
                    "stopping; they stay queued, no attempt counted.");
    filtering::declare_filtered_events_metric(metrics);
    metrics.declare("switchyard_requests_total", T::counter, "Requests sent to destinations, by outcome.");
    metrics.declare("switchyard_delivery_latency_seconds", T::histogram, "From acceptance to delivery, per event.");
    metrics.declare("switchyard_queue_depth", T::gauge, "Jobs waiting for delivery, per destination.");
    metrics.declare("switchyard_queue_oldest_age_seconds", T::gauge, "Age of the oldest waiting job, per destination.");
    metrics.declare("switchyard_dead_letters", T::gauge, "Dead letters kept, per destination (falls after purge or replay).");
    metrics.declare("switchyard_plugin_calls_running", T::gauge,
                    "Delivery workers' plugin calls running now, abandoned in-process ones included.");
}

namespace {

// How often an idle router asks the store whether anything was committed (one cheap read), for jobs
// another process added: `switchyard dead-letter replay` while the host runs.
constexpr auto kOutsideChangesPeriod = std::chrono::seconds(1);

}  // namespace

Router::Router(Store &store, Metrics &metrics, size_t delivery_threads)
    : store_(store), metrics_(metrics), pool_(delivery_threads) {
    declare_delivery_metrics(metrics);
    try {
        data_version_ = store_.data_version();
    } catch (const std::exception &) {  // the first look then wakes every runner with jobs
    }
    pool_.post_at(DeliveryPool::Clock::now() + kOutsideChangesPeriod, [this] { look_for_outside_changes(); });
}

Router::~Router() { stop(); }

// Shares ownership of the whole snapshot: a batch keeps its instances however many reloads pass.
std::shared_ptr<const LiveDestination> Router::live_of(const std::string &key) const {
    std::lock_guard lock(snapshot_mutex_);
    auto it = snapshot_->destinations.find(key);
    return it == snapshot_->destinations.end() ? nullptr : std::shared_ptr<const LiveDestination>(snapshot_, &it->second);
}

void Router::apply(const std::shared_ptr<const Snapshot> &snapshot) {
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot_ = snapshot;
    }
    std::lock_guard lock(runners_mutex_);
    if (stopped_) return;  // a reload racing shutdown starts nothing
    for (auto it = runners_.begin(); it != runners_.end();) {
        auto live = snapshot->destinations.find(it->first);
        if (live != snapshot->destinations.end() && live->second.config.delivery == policies_[it->first]) {
            ++it;
            continue;
        }
        it->second->stop();  // removed or suspended: its jobs stay in the store
        policies_.erase(it->first);
        it = runners_.erase(it);
    }
    for (const auto &[key, live] : snapshot->destinations) {
        if (runners_.contains(key)) continue;
        auto runner = std::make_shared<DestinationRunner>(key, live.config.delivery, store_, metrics_, pool_, watchdog_,
                                                          [this, key = key] { return live_of(key); }, signal_of(key),
                                                          health_of(key));
        runner->start();
        runners_.emplace(key, std::move(runner));
        policies_[key] = live.config.delivery;
    }
}

std::shared_ptr<WakeSignal> Router::signal_of(std::string_view key) {
    std::lock_guard lock(signals_mutex_);
    auto it = signals_.find(key);
    if (it == signals_.end()) it = signals_.emplace(std::string(key), std::make_shared<WakeSignal>()).first;
    return it->second;
}

std::shared_ptr<DeliveryHealth> Router::health_of(const std::string &key) {
    std::lock_guard lock(health_mutex_);
    auto &health = health_[key];
    if (!health) health = std::make_shared<DeliveryHealth>(key);
    return health;
}

std::map<std::string, LastError> Router::last_errors() const {
    std::lock_guard lock(health_mutex_);
    std::map<std::string, LastError> errors;
    for (const auto &[key, health] : health_)
        if (auto error = health->last_error()) errors.emplace(key, std::move(*error));
    return errors;
}

std::map<std::string, Degradation> Router::degradations() const {
    std::lock_guard lock(health_mutex_);
    std::map<std::string, Degradation> degraded;
    for (const auto &[key, health] : health_)
        if (auto degradation = health->degradation()) degraded.emplace(key, std::move(*degradation));
    return degraded;
}

void Router::jobs_added(std::span<const std::string_view> destinations) {
    std::lock_guard lock(signals_mutex_);
    for (std::string_view key : destinations)
        if (auto it = signals_.find(key); it != signals_.end()) it->second->notify();
}

// A commit this process made has woken its runners already; one made elsewhere has not. Runners
// that have nothing posted and jobs waiting take a look (cheap for the others: they are busy).
void Router::look_for_outside_changes() {
    try {
        const uint64_t version = store_.data_version();
        // A reload holds the runners while it stops some, which may wait for this thread: next time.
        std::unique_lock lock(runners_mutex_, std::try_to_lock);
        if (version != data_version_ && lock.owns_lock()) {
            data_version_ = version;
            for (const QueueStats &queue : store_.queue_stats())
                if (auto runner = runners_.find(queue.destination); runner != runners_.end() && queue.depth > 0)
                    runner->second->wake_if_idle();
        }
    } catch (const std::exception &e) {
        log::error("router", std::string("Could not look for jobs added by another process: ") + e.what());
    }
    pool_.post_at(DeliveryPool::Clock::now() + kOutsideChangesPeriod, [this] { look_for_outside_changes(); });
}

void Router::stop() {
    {
        std::lock_guard lock(runners_mutex_);
        if (stopped_) return;
        stopped_ = true;
        for (auto &[key, runner] : runners_) runner->stop();
        runners_.clear();
    }
    pool_.stop();
    watchdog_.stop();
}

}  // namespace switchyard
