// The router: one DestinationRunner per destination of the routing snapshot in force.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "host/metrics/metrics.h"
#include "host/router/destination_runner.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace switchyard {

class Router {
   public:
    Router(Store &store, Metrics &metrics);
    ~Router();

    // Makes the running set match `snapshot`: new destinations start, removed ones stop (their
    // jobs stay in the store), changed delivery policies restart their runner. Batches in
    // flight finish on the instance they started with.
    void apply(std::shared_ptr<const Snapshot> snapshot);

    // Drains: no new batches; in-flight ones finish. Returns when every worker has stopped.
    void stop();

   private:
    std::shared_ptr<const Destination> instance_of(const std::string &key) const;

    Store &store_;
    Metrics &metrics_;
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::mutex runners_mutex_;
    std::map<std::string, std::unique_ptr<DestinationRunner>> runners_;
    std::map<std::string, DeliveryPolicy> policies_;
    bool stopped_ = false;  // under runners_mutex_
};

// Declares the delivery metrics families the router and the /metrics handler use.
void declare_delivery_metrics(Metrics &metrics);

}  // namespace switchyard
