// Sending one transformed batch's requests in per-user order (request_order.h): independent
// requests of different rate keys go at once, one lane per rate key (at most kMaxLanes), each
// under the pacer's own key, so that a request waiting for its endpoint's slot never delays
// another endpoint's. A request that must be retried or was throttled holds back only the
// requests that wait for it; they come out not attempted (EventOutcome::held_back).
//
// Lanes beyond the caller's run on idle threads of the delivery pool (delivery_pool.h), and only for an isolated instance: plugin worker calls are safe
// from many threads, and a call past its deadline is the worker's to end. An instance in this
// process is sent to on the calling thread alone, in the same order: its calls are watched per
// thread (watched_calls.h), and a call abandoned at its deadline must leave no other lane of its
// batch still sending after the batch was handed back.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <optional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "host/delivery/event_outcome.h"
#include "host/delivery/pacer.h"
#include "host/delivery/request_order.h"
#include "host/metrics/metrics.h"
#include "host/router/delivery_pool.h"
#include "host/router/watched_calls.h"
#include "host/store/store.h"

namespace switchyard {

inline constexpr size_t kMaxLanes = 4;  // threads sending one batch at once, at most

// What a batch's sends need of the batch delivery that owns them.
struct SendContext {
    const std::string &destination;  // names it in logs and metrics
    Metrics &metrics;
    const std::atomic<bool> &stopping;  // once set, what is not sent yet is held back
    const WatchedCalls &calls;
    Pacer &pacer;
    DeliveryPool &pool;  // lends idle threads to the lanes
};

class BatchSends {
   public:
    // `jobs[i]` is event i of `result`; both outlive this.
    BatchSends(const SendContext &context, const TransformRead &result, std::span<const Job> jobs);

    // Sends every request it may; one outcome per event. A request of several events whose send
    // ends the plugin's worker every time puts its events into `alone` (to be delivered one by one,
    // so that only the one that ends the worker is dead-lettered) and holds back what waits for it.
    std::vector<EventOutcome> run(std::vector<uint32_t> &alone);

    // How many lanes the requests were spread over (1: sent on the calling thread).
    size_t lane_count() const { return lanes_.size(); }

   private:
    void run_lanes();
    void run_lane(std::span<const size_t> mine, bool concurrent);
    std::optional<size_t> take_next(std::span<const size_t> mine, bool concurrent);
    void send(size_t request, bool concurrent);
    SendResult send_through_crashes(const RequestRead &request);
    void settle_send(size_t request, const SendResult &sent);
    void hold_back(size_t request);
    void failed(size_t request);

    const SendContext &context_;
    const TransformRead &result_;
    std::vector<std::vector<size_t>> lanes_;  // request positions per lane, in the plugin's order

    std::mutex mutex_;  // guards what follows
    std::condition_variable changed_;
    RequestOrder order_;
    std::vector<EventOutcome> outcomes_;
    std::vector<uint32_t> alone_;
    bool serial_ = false;  // a concurrent send ended the plugin's worker (or no thread was had): the rest go one at a time
    std::exception_ptr error_;    // thrown on a lane thread, rethrown on the caller's
    size_t lanes_running_ = 0;    // on pool threads
};

}  // namespace switchyard
