// SIGTERM ends the process on time whatever a plugin does: a drain still going at the deadline
// (a plugin call that does not return, in this process or in a plugin worker whose call deadline
// is far) gives way to ending the process, with what was not delivered left in the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace switchyard {

class ShutdownDeadline {
   public:
    // Starts the clock: `expired` runs on a thread of its own if finished() has not been called
    // within `timeout`.
    ShutdownDeadline(std::chrono::milliseconds timeout, std::function<void()> expired);
    ~ShutdownDeadline();
    ShutdownDeadline(const ShutdownDeadline &) = delete;
    ShutdownDeadline &operator=(const ShutdownDeadline &) = delete;

    // The drain is over: `expired` will not run, unless it already has begun.
    void finished();

   private:
    std::mutex mutex_;
    std::condition_variable done_;
    bool finished_ = false;
    std::thread thread_;
};

// What `serve` does at the deadline or when abandoned calls outlive the drain: logs one line
// naming the delivery plugin calls still running, and ends the process at once with exit code 1
// (std::_Exit: the store is WAL, nothing committed is lost; the rest is delivered after the next start).
[[noreturn]] void end_process_with_calls_running(const std::string &why);

}  // namespace switchyard
