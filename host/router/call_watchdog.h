// Deadlines for plugin calls made in this process, which nothing can interrupt: a call still
// running at its deadline is given up on (its overdue action runs on the watchdog's thread), and
// the thread that made it learns so when, if ever, the call returns.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace switchyard {

class CallWatchdog {
   public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    using TimePoint = std::chrono::steady_clock::time_point;
    class Call;

    // With `run_thread` false, overdue actions run only in check(): for tests driving `clock` by hand.
    // Otherwise the thread starts with the first call watched (most destinations never need one).
    explicit CallWatchdog(Clock clock = std::chrono::steady_clock::now, bool run_thread = true);
    ~CallWatchdog();
    CallWatchdog(const CallWatchdog &) = delete;
    CallWatchdog &operator=(const CallWatchdog &) = delete;

    // Watches a call that must return within `timeout`; `overdue` runs (once, on the watchdog's
    // thread) if it has not by then.
    std::shared_ptr<Call> begin(std::chrono::milliseconds timeout, std::function<void()> overdue);
    // Runs the overdue action of every call past its deadline.
    void check();
    // Joins the thread: no overdue action starts after it returns. Calls still watched stay so.
    void stop();

   private:
    friend class Call;
    void forget(Call &call);
    void watch();

    const Clock clock_;
    const bool run_thread_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<TimePoint, std::shared_ptr<Call>> calls_;  // by deadline
    bool stopping_ = false;
    std::thread thread_;
};

class CallWatchdog::Call {
   public:
    enum class State { running, returned, overdue, abandoned };
    Call(CallWatchdog &watchdog, std::function<void()> overdue) : watchdog_(&watchdog), overdue_(std::move(overdue)) {}

    // After the call returned: true when in time. False when it was given up on, and then only
    // once its overdue action has finished, so that the action may still read the caller's data;
    // the watchdog may be gone by then, and is not touched.
    bool end();

   private:
    friend class CallWatchdog;
    CallWatchdog *watchdog_;
    std::function<void()> overdue_;
    std::atomic<State> state_{State::running};
    std::multimap<TimePoint, std::shared_ptr<Call>>::iterator entry_;  // under the watchdog's mutex
    bool watched_ = true;                                                // entry_ is valid
};

}  // namespace switchyard
