// The signal idle delivery workers sleep on: no notification is lost between looking for work
// and starting to wait, and a wait without one ends at its deadline.
#include "host/router/wake_signal.h"

#include <gtest/gtest.h>

#include <thread>

namespace switchyard {
namespace {

using namespace std::chrono_literals;

TEST(WakeSignal, ANotificationSinceTheGenerationWasReadEndsTheWaitAtOnce) {
    WakeSignal signal;
    const uint64_t seen = signal.generation();
    signal.notify();  // jobs added while the worker was still claiming
    EXPECT_TRUE(signal.wait_until(seen, WakeSignal::Clock::now() + 60s));
}

TEST(WakeSignal, AWaitWithoutNotificationEndsAtTheDeadline) {
    WakeSignal signal;
    EXPECT_FALSE(signal.wait_until(signal.generation(), WakeSignal::Clock::now() + 20ms));
}

TEST(WakeSignal, ANotificationWakesEveryWaiter) {
    WakeSignal signal;
    const uint64_t seen = signal.generation();
    std::atomic<int> woken = 0;
    std::vector<std::thread> waiters;
    for (int i = 0; i < 3; ++i)
        waiters.emplace_back([&] { woken += signal.wait_until(seen, WakeSignal::Clock::now() + 60s) ? 1 : 0; });
    signal.notify();
    for (std::thread &waiter : waiters) waiter.join();
    EXPECT_EQ(woken, 3);
}

}  // namespace
}  // namespace switchyard
