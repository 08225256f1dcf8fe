// Watching deadlines: one thread sleeps until the earliest one, and gives up on calls past theirs.
#include "host/router/call_watchdog.h"

#include <vector>

namespace switchyard {

CallWatchdog::CallWatchdog(Clock clock, bool run_thread) : clock_(std::move(clock)), run_thread_(run_thread) {}

CallWatchdog::~CallWatchdog() { stop(); }

std::shared_ptr<CallWatchdog::Call> CallWatchdog::begin(std::chrono::milliseconds timeout,
                                                        std::function<void()> overdue) {
    auto call = std::make_shared<Call>(*this, std::move(overdue));
    std::lock_guard lock(mutex_);
    call->entry_ = calls_.emplace(clock_() + timeout, call);
    if (run_thread_ && !thread_.joinable() && !stopping_) thread_ = std::thread([this] { watch(); });
    changed_.notify_all();
    return call;
}

bool CallWatchdog::Call::end() {
    State running = State::running;
    if (state_.compare_exchange_strong(running, State::returned)) {
        watchdog_->forget(*this);
        return true;
    }
    state_.wait(State::overdue);
    return false;
}

void CallWatchdog::forget(Call &call) {
    std::lock_guard lock(mutex_);
    if (call.watched_) calls_.erase(call.entry_);
    call.watched_ = false;
}

void CallWatchdog::check() {
    std::vector<std::shared_ptr<Call>> due;
    {
        std::lock_guard lock(mutex_);
        const TimePoint now = clock_();
        while (!calls_.empty() && calls_.begin()->first <= now) {
            calls_.begin()->second->watched_ = false;
            due.push_back(std::move(calls_.begin()->second));
            calls_.erase(calls_.begin());
        }
    }
    for (const std::shared_ptr<Call> &call : due) {
        Call::State running = Call::State::running;
        if (!call->state_.compare_exchange_strong(running, Call::State::overdue)) continue;  // returned meanwhile
        call->overdue_();
        call->state_ = Call::State::abandoned;
        call->state_.notify_all();
    }
}

void CallWatchdog::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void CallWatchdog::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (calls_.empty()) {
            changed_.wait(lock);
        } else {
            // A copy: the wait reads it again after waking, when the call may have been forgotten.
            const TimePoint earliest = calls_.begin()->first;
            changed_.wait_until(lock, earliest);
        }
        lock.unlock();
        check();
        lock.lock();
    }
}

}  // namespace switchyard
