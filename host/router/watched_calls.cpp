// Counting and watching a delivery worker's plugin calls.
#include "host/router/watched_calls.h"

#include "host/config/quantities.h"

#include <atomic>

namespace switchyard {
namespace {

std::atomic<size_t> calls_running{0};

struct CountedCall {
    CountedCall() { ++calls_running; }
    ~CountedCall() { --calls_running; }
    CountedCall(const CountedCall &) = delete;
    CountedCall &operator=(const CountedCall &) = delete;
};


}  // namespace

size_t plugin_calls_running() { return calls_running.load(); }

WatchedCalls::WatchedCalls(const Destination &destination, CallWatchdog *watchdog, CallDeadlines deadlines,
                           Overdue overdue, std::shared_ptr<HungCalls> hung)
    : destination_(destination),
      watchdog_(watchdog),
      deadlines_(deadlines),
      overdue_(std::move(overdue)),
      hung_(std::move(hung)) {}

TransformResult WatchedCalls::transform(std::span<const sy_borrowed_str> events, uint32_t max_events_per_request) const {
    return watched<TransformResult>(deadlines_.transform, "transforming",
                                    [&] { return destination_.transform(events, max_events_per_request); });
}

SendResult WatchedCalls::send(const sy_request &request) const {
    return watched<SendResult>(deadlines_.send, "sending", [&] { return destination_.send(request); });
}

// The thread stuck in the call counts against its instance (HungCalls::full) until it returns.
template <class Result, class Call>
Result WatchedCalls::watched(std::chrono::milliseconds timeout, std::string_view doing, const Call &call) const {
    const CountedCall counted;
    if (watchdog_ == nullptr) return call();
    const std::shared_ptr<CallWatchdog::Call> watch = watchdog_->begin(timeout, [this, timeout, doing] {
        hung_->stuck(&destination_);
        overdue_("the plugin did not return within " + describe_duration(timeout) + " " + std::string(doing) +
                 " (in-process); the worker was abandoned");
    });
    auto came_back = [&] {
        if (watch->end()) return;
        hung_->returned(&destination_);
        throw CallAbandoned{};
    };
    try {
        Result result = call();
        came_back();
        return result;
    } catch (const CallAbandoned &) {
        throw;
    } catch (...) {
        came_back();
        throw;
    }
}

}  // namespace switchyard
