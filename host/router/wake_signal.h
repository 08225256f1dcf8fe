// Wakes a destination's idle delivery workers when jobs arrive for it, so that they can sleep
// long between claims instead of polling the store.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace switchyard {

class WakeSignal {
   public:
    using Clock = std::chrono::steady_clock;

    void notify() {
        {
            std::lock_guard lock(mutex_);
            ++generation_;
        }
        changed_.notify_all();
    }

    // Read before looking for work: a notification after it ends the next wait at once.
    uint64_t generation() const {
        std::lock_guard lock(mutex_);
        return generation_;
    }

    // Until a notification newer than `seen`, or `deadline`. Returns whether notified.
    bool wait_until(uint64_t seen, Clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, deadline, [&] { return generation_ != seen; });
    }

   private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t generation_ = 0;
};

}  // namespace switchyard
