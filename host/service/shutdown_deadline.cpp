// The shutdown deadline's clock, and ending the process when it strikes.
#include "host/service/shutdown_deadline.h"

#include <cstdlib>

#include "host/log/log.h"
#include "host/router/watched_calls.h"

namespace switchyard {

ShutdownDeadline::ShutdownDeadline(std::chrono::milliseconds timeout, std::function<void()> expired) {
    thread_ = std::thread([this, timeout, expired = std::move(expired)] {
        std::unique_lock lock(mutex_);
        if (done_.wait_for(lock, timeout, [this] { return finished_; })) return;
        lock.unlock();
        expired();
    });
}

ShutdownDeadline::~ShutdownDeadline() {
    finished();
    thread_.join();
}

void ShutdownDeadline::finished() {
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
    }
    done_.notify_all();
}

void end_process_with_calls_running(const std::string &why) {
    log::error("host", why + ": " + std::to_string(plugin_calls_running()) +
                           " plugin call(s) still running; ending the process now (what was not delivered stays in "
                           "the store and goes out after the next start).");
    std::_Exit(1);
}

}  // namespace switchyard
