// Where news of a destination's new jobs goes: to its runner in force, if any. Kept per destination
// across runners, so that ingestion, which rings it after each commit, never waits for a reload.
#pragma once

#include <functional>
#include <mutex>

namespace switchyard {

class WakeSignal {
   public:
    void notify() {
        std::lock_guard lock(mutex_);
        if (wake_) wake_();
    }

    // The runner's wake, or nothing once it stops: no notify runs it after this returns.
    void listen(std::function<void()> wake) {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }

   private:
    std::mutex mutex_;
    std::function<void()> wake_;
};

}  // namespace switchyard
