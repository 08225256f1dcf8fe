// The threads every destination's delivery runs on: a fixed number, however many destinations
// there are. A destination's work comes as turns (destination_runner.h), run in the order posted;
// a destination with a backlog posts its next turn behind everyone else's, which keeps delivery
// fair. Timers post tasks when they are due, and a pool with nothing to do sleeps without waking.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace switchyard {

class DeliveryPool {
   public:
    using Task = std::function<void()>;
    using Clock = std::chrono::steady_clock;

    explicit DeliveryPool(size_t threads);
    ~DeliveryPool();
    DeliveryPool(const DeliveryPool &) = delete;
    DeliveryPool &operator=(const DeliveryPool &) = delete;

    size_t size() const { return size_; }

    // Runs `task` on a pool thread after the tasks posted before it.
    void post(Task task);
    // Posts `task` when `when` comes.
    void post_at(Clock::time_point when, Task task);
    // Runs `task` at once on a thread that would otherwise wait, so that what a turn starts
    // alongside itself never waits behind other turns, and never takes the threads other
    // destinations need: false, and nothing runs, unless more than half the pool is idle.
    bool run_on_idle_thread(Task task);

    // A task's thread is stuck in a call that may never return (an abandoned in-process plugin
    // call): another thread takes its place.
    void replace_stuck_thread();
    // On the thread that was stuck, once its call returned: it ends after the task it runs.
    static void retire_calling_thread();

    // Stops: tasks and timers not started are dropped, running ones finish (stuck ones are not
    // waited for). Runners must have stopped before, since their turns are among the tasks.
    void stop();

   private:
    struct State;
    static void run_thread(const std::shared_ptr<State> &state);
    void start_thread();

    const size_t size_;
    // Shared with the threads: a stuck thread may return after the pool is gone.
    const std::shared_ptr<State> state_;
};

}  // namespace switchyard
