// The pool's threads take tasks in order; one idle thread keeps the timers (it alone waits on a
// deadline, on a condition of its own), the others sleep until work comes: an idle host's threads
// do not all wake at each timer.
#include "host/router/delivery_pool.h"

#include <thread>

#include "host/log/log.h"

namespace switchyard {
namespace {

thread_local bool retiring = false;  // set on a pool thread whose place was taken

}  // namespace

struct DeliveryPool::State {
    std::mutex mutex;
    std::condition_variable work;         // idle threads but the keeper wait here
    std::condition_variable keeper_wake;  // the keeper waits here, until the earliest timer
    std::deque<Task> urgent;  // run_on_idle_thread's: taken before the queue
    std::deque<Task> queue;
    std::multimap<Clock::time_point, Task> timers;
    size_t idle = 0;          // threads waiting for work
    bool keeper = false;      // an idle thread waits for the earliest timer
    size_t threads = 0;       // running, stuck ones included
    size_t stuck = 0;         // replaced, not yet returned
    bool stopping = false;
    std::condition_variable ended;  // a thread ended or became idle

    // Under the mutex: the next task, waiting for one; empty when the thread must end.
    Task next(std::unique_lock<std::mutex> &lock);
    void move_due_timers();
    // Under the mutex, after a task was queued: an idle thread takes it, the keeper only if no other is idle.
    void wake_one_for_work() {
        if (idle > (keeper ? 1U : 0U))
            work.notify_one();
        else if (keeper)
            keeper_wake.notify_one();
    }
};

// Returns once every thread waits for work, so that run_on_idle_thread finds them from the start.
DeliveryPool::DeliveryPool(size_t threads) : size_(std::max<size_t>(threads, 1)), state_(std::make_shared<State>()) {
    for (size_t i = 0; i < size_; ++i) start_thread();
    std::unique_lock lock(state_->mutex);
    state_->ended.wait(lock, [this] { return state_->idle == size_; });
}

DeliveryPool::~DeliveryPool() { stop(); }

void DeliveryPool::start_thread() {
    {
        std::lock_guard lock(state_->mutex);
        ++state_->threads;
    }
    std::thread([state = state_] { run_thread(state); }).detach();
}

void DeliveryPool::run_thread(const std::shared_ptr<State> &state) {
    std::unique_lock lock(state->mutex);
    while (Task task = state->next(lock)) {
        lock.unlock();
        try {
            task();
        } catch (const std::exception &e) {  // a task must not end the thread
            log::error("delivery", std::string("A delivery task failed: ") + e.what());
        }
        task = nullptr;  // what it holds goes before the lock is taken again
        lock.lock();
        if (retiring) {
            --state->stuck;
            break;
        }
    }
    --state->threads;
    state->ended.notify_all();
}

DeliveryPool::Task DeliveryPool::State::next(std::unique_lock<std::mutex> &lock) {
    for (;;) {
        move_due_timers();
        if (stopping) return nullptr;
        auto take = [](std::deque<Task> &from) {
            Task task = std::move(from.front());
            from.pop_front();
            return task;
        };
        if (!urgent.empty() || !queue.empty()) {
            // Someone must keep the timers: the keeper may be the one taking this task.
            if (!keeper && !timers.empty() && idle > 0) work.notify_one();
            return take(urgent.empty() ? queue : urgent);
        }
        ++idle;
        ended.notify_all();  // the constructor waits for every thread to get here
        if (!keeper && !timers.empty()) {
            keeper = true;
            // A copy: the wait reads it again after waking, when the timer may be gone.
            const Clock::time_point earliest = timers.begin()->first;
            keeper_wake.wait_until(lock, earliest);
            keeper = false;
        } else {
            work.wait(lock);
        }
        --idle;
    }
}

void DeliveryPool::State::move_due_timers() {
    const Clock::time_point now = Clock::now();
    while (!timers.empty() && timers.begin()->first <= now) {
        queue.push_back(std::move(timers.begin()->second));
        timers.erase(timers.begin());
    }
}

void DeliveryPool::post(Task task) {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return;
    state_->queue.push_back(std::move(task));
    state_->wake_one_for_work();
}

// A new earliest timer wakes the keeper to wait for it instead, or an idle thread to become keeper.
void DeliveryPool::post_at(Clock::time_point when, Task task) {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return;
    const bool earliest = state_->timers.empty() || when < state_->timers.begin()->first;
    state_->timers.emplace(when, std::move(task));
    if (!earliest) return;
    if (state_->keeper)
        state_->keeper_wake.notify_one();
    else
        state_->work.notify_one();
}

bool DeliveryPool::run_on_idle_thread(Task task) {
    {
        std::lock_guard lock(state_->mutex);
        const auto spare = static_cast<ptrdiff_t>(state_->idle) - static_cast<ptrdiff_t>(state_->urgent.size());
        if (state_->stopping || spare * 2 <= static_cast<ptrdiff_t>(size_)) return false;
        state_->urgent.push_back(std::move(task));
        state_->wake_one_for_work();
    }
    return true;
}

void DeliveryPool::replace_stuck_thread() {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->stopping) return;
        ++state_->stuck;
    }
    start_thread();
}

void DeliveryPool::retire_calling_thread() { retiring = true; }

void DeliveryPool::stop() {
    std::deque<Task> queue, urgent;  // destroyed outside the lock: what they hold may take locks
    std::multimap<Clock::time_point, Task> timers;
    std::unique_lock lock(state_->mutex);
    state_->stopping = true;
    std::swap(queue, state_->queue);
    std::swap(urgent, state_->urgent);
    std::swap(timers, state_->timers);
    state_->work.notify_all();
    state_->keeper_wake.notify_all();
    state_->ended.wait(lock, [this] { return state_->threads == state_->stuck; });
}

}  // namespace switchyard
