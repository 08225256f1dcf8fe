// A destination whose plugin instance lives in a plugin worker (plugin_worker.h): the same calls
// as an instance in this process, each crossing a channel with a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/isolation/plugin_worker.h"
#include "host/plugin/destination.h"
#include "host/plugin/host_services.h"

namespace switchyard {

class IsolatedDestination final : public Destination {
   public:
    // Makes the instance in `worker`. On failure returns null and sets `error` to one sentence.
    // The plugin's logs, counters and gauges come back with each answer and go to this process's
    // log and `metrics`, as an instance in this process would send them.
    static std::shared_ptr<Destination> create(const std::shared_ptr<PluginWorker> &worker,
                                               const std::shared_ptr<const PluginLibrary> &plugin, std::string id,
                                               const std::string &settings_json, CallDeadlines deadlines,
                                               std::string &error, Metrics *metrics = nullptr);
    // What making one instance needs.
    struct Order {
        std::string id;
        std::string settings_json;
        CallDeadlines deadlines;
    };
    // One order's outcome: the instance, or null and one sentence.
    struct Made {
        std::shared_ptr<Destination> instance;
        std::string error;
    };
    // `create` for many destinations in the same worker at once: their inits, then their
    // rate_limits calls, each go down one channel together (a host starting with thousands of
    // destinations would otherwise wait for two round trips per destination). One per order.
    static std::vector<Made> create_all(const std::shared_ptr<PluginWorker> &worker,
                                        const std::shared_ptr<const PluginLibrary> &plugin,
                                        const std::vector<Order> &orders, Metrics *metrics = nullptr);
    ~IsolatedDestination() override;

    TransformResult transform(std::span<const sy_borrowed_str> events, uint32_t max_events_per_request) const override;
    SendResult send(const sy_request &request) const override;
    std::vector<sy_rate_limit> rate_limits() const override;
    TransformResult delete_users(std::span<const sy_borrowed_str> users) const override;
    Verification verify() const override;
    bool in_this_process() const override { return false; }
    void release(void *) const override {}  // the worker released its result before answering

    IsolatedDestination(std::shared_ptr<PluginWorker> worker, std::shared_ptr<const PluginLibrary> plugin,
                        std::string id, CallDeadlines deadlines, Metrics *metrics);

   private:
    template <class Result, class Get>
    Result ask(wire::Writer &request, std::chrono::milliseconds timeout, std::string_view what, Get get_read) const;
    void replay(const std::vector<wire::Effect> &effects) const;
    void take_rate_limits(const CallReply &reply);
    TransformResult transform_call(wire::Op op, std::span<const sy_borrowed_str> events, uint32_t most) const;

    std::shared_ptr<PluginWorker> worker_;
    uint64_t key_ = 0;
    CallDeadlines deadlines_;
    std::unique_ptr<HostServices> services_;
    std::shared_ptr<const std::string> limits_message_;  // rate_limits_ points into it
    std::vector<sy_rate_limit> rate_limits_;
};

}  // namespace switchyard
