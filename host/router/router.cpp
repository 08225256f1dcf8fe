// Keeping one runner per configured destination.
#include "host/router/router.h"

#include "host/log/log.h"

namespace switchyard {
namespace {

bool same_policy(const DeliveryPolicy &a, const DeliveryPolicy &b) {
    return a.workers == b.workers && a.batch_size == b.batch_size && a.retry_window == b.retry_window &&
           a.backoff_base == b.backoff_base && a.backoff_cap == b.backoff_cap;
}

}  // namespace

void declare_delivery_metrics(Metrics &metrics) {
    using T = Metrics::Type;
    metrics.declare("switchyard_events_delivered_total", T::counter, "Events delivered, per destination.");
    metrics.declare("switchyard_events_retried_total", T::counter, "Delivery attempts that will be retried.");
    metrics.declare("switchyard_events_dead_lettered_total", T::counter, "Events moved to the dead-letter table.");
    metrics.declare("switchyard_requests_total", T::counter, "Requests sent to destinations, by outcome.");
    metrics.declare("switchyard_delivery_latency_seconds", T::histogram, "From acceptance to delivery, per event.");
    metrics.declare("switchyard_queue_depth", T::gauge, "Jobs waiting for delivery, per destination.");
    metrics.declare("switchyard_queue_oldest_age_seconds", T::gauge, "Age of the oldest waiting job, per destination.");
}

Router::Router(Store &store, Metrics &metrics) : store_(store), metrics_(metrics) { declare_delivery_metrics(metrics); }

Router::~Router() { stop(); }

std::shared_ptr<const Destination> Router::instance_of(const std::string &key) const {
    std::lock_guard lock(snapshot_mutex_);
    auto it = snapshot_->destinations.find(key);
    return it == snapshot_->destinations.end() ? nullptr : it->second.instance;
}

void Router::apply(std::shared_ptr<const Snapshot> snapshot) {
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot_ = snapshot;
    }
    std::lock_guard lock(runners_mutex_);
    for (auto it = runners_.begin(); it != runners_.end();) {
        auto live = snapshot->destinations.find(it->first);
        if (live != snapshot->destinations.end() && same_policy(live->second.config.delivery, policies_[it->first])) {
            ++it;
            continue;
        }
        if (live == snapshot->destinations.end())
            log::warn("router", "Destination \"" + it->first + "\" was removed; its pending jobs stay in the store.");
        it->second->stop();
        policies_.erase(it->first);
        it = runners_.erase(it);
    }
    for (const auto &[key, live] : snapshot->destinations) {
        if (runners_.count(key) != 0) continue;
        auto runner = std::make_unique<DestinationRunner>(key, live.config.delivery, store_, metrics_,
                                                          [this, key = key] { return instance_of(key); });
        runner->start();
        runners_.emplace(key, std::move(runner));
        policies_[key] = live.config.delivery;
    }
}

void Router::stop() {
    std::lock_guard lock(runners_mutex_);
    for (auto &[key, runner] : runners_) runner->stop();
    runners_.clear();
}

}  // namespace switchyard
