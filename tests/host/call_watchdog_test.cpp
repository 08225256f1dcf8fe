// CallWatchdog: a call past its deadline is given up on once, a call back in time never is, and
// the caller of an abandoned call learns so only after the overdue action has finished.
#include "host/router/call_watchdog.h"

#include <gtest/gtest.h>

#include <future>

namespace switchyard {
namespace {

using namespace std::chrono_literals;

struct HandClock {
    std::chrono::steady_clock::time_point now{};
    CallWatchdog::Clock clock() {
        return [this] { return now; };
    }
};

TEST(CallWatchdog, ACallBackInTimeIsNeverGivenUpOn) {
    HandClock time;
    CallWatchdog watchdog(time.clock(), false);
    int overdue = 0;
    auto call = watchdog.begin(500ms, [&] { ++overdue; });
    time.now += 499ms;
    watchdog.check();
    EXPECT_TRUE(call->end());
    time.now += 1h;
    watchdog.check();
    EXPECT_EQ(overdue, 0);
}

TEST(CallWatchdog, ACallPastItsDeadlineIsGivenUpOnOnce) {
    HandClock time;
    CallWatchdog watchdog(time.clock(), false);
    int overdue = 0;
    auto late = watchdog.begin(500ms, [&] { ++overdue; });
    auto later = watchdog.begin(2s, [&] { overdue += 10; });
    time.now += 500ms;
    watchdog.check();
    watchdog.check();
    EXPECT_EQ(overdue, 1);
    EXPECT_FALSE(late->end());
    EXPECT_TRUE(later->end());
}

TEST(CallWatchdog, ItsThreadWakesAtTheDeadline) {
    CallWatchdog watchdog;
    std::promise<void> given_up;
    auto call = watchdog.begin(20ms, [&] { given_up.set_value(); });
    ASSERT_EQ(given_up.get_future().wait_for(10s), std::future_status::ready);
    EXPECT_FALSE(call->end());
}

TEST(CallWatchdog, TheCallerOfAnAbandonedCallWaitsForTheOverdueActionToFinish) {
    HandClock time;
    CallWatchdog watchdog(time.clock(), false);
    std::promise<void> started, release;
    auto call = watchdog.begin(1s, [&] {
        started.set_value();
        release.get_future().wait();
    });
    time.now += 1s;
    auto checking = std::async(std::launch::async, [&] { watchdog.check(); });
    started.get_future().wait();
    auto ending = std::async(std::launch::async, [&] { return call->end(); });
    EXPECT_EQ(ending.wait_for(50ms), std::future_status::timeout);  // still inside the action
    release.set_value();
    EXPECT_FALSE(ending.get());
    checking.get();
}

}  // namespace
}  // namespace switchyard
