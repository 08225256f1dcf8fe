// A destination's plugin calls as a delivery worker makes them: each is counted while it runs
// (plugin_calls_running()), and one into an instance in this process is watched by a CallWatchdog:
// past its deadline it is abandoned (the `overdue` action settles its batch and replaces the
// worker), and if it returns after all, CallAbandoned tells the worker to end, settling nothing.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "host/config/workspace.h"
#include "host/plugin/destination.h"
#include "host/router/call_watchdog.h"
#include "host/router/hung_calls.h"

namespace switchyard {

// Not a std::exception: nothing on the way up to the worker's loop may take it for an error.
struct CallAbandoned {};

class WatchedCalls {
   public:
    // `overdue` gets one sentence saying which call missed which deadline. With no `watchdog`,
    // calls are only counted (an isolated instance: its worker channel has the deadlines).
    using Overdue = std::function<void(const std::string &reason)>;
    WatchedCalls(const Destination &destination, CallWatchdog *watchdog, CallDeadlines deadlines, Overdue overdue,
                 std::shared_ptr<HungCalls> hung);

    const Destination &destination() const { return destination_; }
    TransformResult transform(std::span<const sy_borrowed_str> events, uint32_t max_events_per_request) const;
    SendResult send(const sy_request &request) const;

   private:
    template <class Result, class Call>
    Result watched(std::chrono::milliseconds timeout, std::string_view doing, const Call &call) const;

    const Destination &destination_;
    CallWatchdog *const watchdog_;
    const CallDeadlines deadlines_;
    const Overdue overdue_;
    const std::shared_ptr<HungCalls> hung_;  // outlives the runner for a thread that returns late
};

// Delivery workers' plugin calls running now, in both isolation modes, abandoned ones included.
size_t plugin_calls_running();

}  // namespace switchyard
