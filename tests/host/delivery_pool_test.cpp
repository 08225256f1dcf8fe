// The delivery pool: tasks in the order posted on a fixed number of threads, timers, threads lent
// to a turn's lanes only when most are idle, a stuck thread replaced, and the wake signal that
// reaches a runner.
#include "host/router/delivery_pool.h"

#include <gtest/gtest.h>

#include <dirent.h>

#include <atomic>
#include <future>
#include <latch>
#include <vector>

#include "host/router/wake_signal.h"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

size_t threads_of_this_process() {
    size_t count = 0;
    if (DIR *dir = opendir("/proc/self/task")) {
        while (const dirent *entry = readdir(dir))
            if (entry->d_name[0] != '.') ++count;
        closedir(dir);
    }
    return count;
}

TEST(DeliveryPool, RunsTasksInTheOrderPostedOnItsThreadsOnly) {
    const size_t before = threads_of_this_process();
    DeliveryPool pool(1);
    EXPECT_EQ(threads_of_this_process(), before + 1);
    std::mutex mutex;
    std::vector<int> order;
    std::promise<void> done;
    for (int i = 0; i < 100; ++i)
        pool.post([&, i] {
            std::lock_guard lock(mutex);
            order.push_back(i);
            if (i == 99) done.set_value();
        });
    done.get_future().wait();
    std::vector<int> expected(100);
    for (int i = 0; i < 100; ++i) expected[static_cast<size_t>(i)] = i;
    EXPECT_EQ(order, expected);
}

TEST(DeliveryPool, ManyTasksNeverStartMoreThreadsThanItsSize) {
    const size_t before = threads_of_this_process();
    DeliveryPool pool(4);
    std::atomic<int> running{0}, most{0}, finished{0};
    std::promise<void> done;
    for (int i = 0; i < 1000; ++i)
        pool.post([&] {
            const int now = ++running;
            for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
            }
            std::this_thread::sleep_for(50us);
            --running;
            if (++finished == 1000) done.set_value();
        });
    done.get_future().wait();
    EXPECT_LE(most.load(), 4);
    EXPECT_EQ(threads_of_this_process(), before + 4);
}

TEST(DeliveryPool, ATimerPostsItsTaskWhenDueAndNotBefore) {
    DeliveryPool pool(2);
    const auto posted = DeliveryPool::Clock::now();
    std::promise<DeliveryPool::Clock::time_point> ran;
    pool.post_at(posted + 100ms, [&] { ran.set_value(DeliveryPool::Clock::now()); });
    EXPECT_GE(ran.get_future().get() - posted, std::chrono::milliseconds(100));
}

TEST(DeliveryPool, AnEarlierTimerPostedLaterStillComesFirst) {
    DeliveryPool pool(1);
    std::mutex mutex;
    std::vector<int> order;
    std::promise<void> done;
    const auto now = DeliveryPool::Clock::now();
    pool.post_at(now + 300ms, [&] {
        std::lock_guard lock(mutex);
        order.push_back(2);
        done.set_value();
    });
    pool.post_at(now + 50ms, [&] {
        std::lock_guard lock(mutex);
        order.push_back(1);
    });
    done.get_future().wait();
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(DeliveryPool, LendsAThreadOnlyWhileMoreThanHalfThePoolIsIdle) {
    DeliveryPool pool(4);
    std::this_thread::sleep_for(50ms);  // the threads reach their wait
    std::latch release(1);
    std::atomic<int> lent{0};
    std::vector<std::promise<void>> started(3);
    // 4 idle: lend one (3 left idle, more than half); 3 idle: lend another (2 left, not more than
    // half of 4): the second is refused.
    EXPECT_TRUE(pool.run_on_idle_thread([&] {
        ++lent;
        started[0].set_value();
        release.wait();
    }));
    started[0].get_future().wait();
    EXPECT_TRUE(pool.run_on_idle_thread([&] {
        ++lent;
        started[1].set_value();
        release.wait();
    }));
    started[1].get_future().wait();
    EXPECT_FALSE(pool.run_on_idle_thread([&] { ++lent; }));
    release.count_down();
    pool.stop();
    EXPECT_EQ(lent.load(), 2);
}

TEST(DeliveryPool, AStuckThreadIsReplacedAndEndsWhenItsCallReturns) {
    const size_t before = threads_of_this_process();
    DeliveryPool pool(1);
    std::latch stuck_call_returns(1);
    std::promise<void> stuck;
    pool.post([&] {
        stuck.set_value();
        stuck_call_returns.wait();
        DeliveryPool::retire_calling_thread();
    });
    stuck.get_future().wait();
    pool.replace_stuck_thread();
    std::promise<void> other_ran;
    pool.post([&] { other_ran.set_value(); });
    EXPECT_EQ(other_ran.get_future().wait_for(10s), std::future_status::ready);  // served while one is stuck
    EXPECT_EQ(threads_of_this_process(), before + 2);
    stuck_call_returns.count_down();
    for (int i = 0; i < 200 && threads_of_this_process() != before + 1; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(threads_of_this_process(), before + 1);
}

TEST(DeliveryPool, StopDropsWhatHasNotStartedAndWaitsForWhatRuns) {
    DeliveryPool pool(1);
    std::latch release(1);
    std::promise<void> started;
    std::atomic<bool> finished{false}, dropped_ran{false};
    pool.post([&] {
        started.set_value();
        release.wait();
        finished = true;
    });
    started.get_future().wait();
    pool.post([&] { dropped_ran = true; });
    pool.post_at(DeliveryPool::Clock::now(), [&] { dropped_ran = true; });
    std::thread releaser([&] {
        std::this_thread::sleep_for(50ms);
        release.count_down();
    });
    pool.stop();
    EXPECT_TRUE(finished);
    EXPECT_FALSE(dropped_ran);
    releaser.join();
}

TEST(WakeSignal, ReachesTheRunnerListeningAndNoneOnceItStopped) {
    WakeSignal signal;
    int woken = 0;
    signal.notify();  // nobody listens yet: nothing happens
    signal.listen([&] { ++woken; });
    signal.notify();
    signal.listen(nullptr);
    signal.notify();
    EXPECT_EQ(woken, 1);
}

}  // namespace
}  // namespace switchyard
