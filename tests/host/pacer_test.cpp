// Pacing: declared limits hold, bursts are allowed up to their size, 429s slow a key down.
#include <gtest/gtest.h>

#include "host/delivery/pacer.h"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

sy_rate_limit limit(const char *key, double per_second, uint32_t burst) {
    return {sizeof(sy_rate_limit), {key, std::char_traits<char>::length(key)}, per_second, burst};
}

TEST(Pacer, SpacesRequestsAtNinetyPercentOfTheDeclaredRate) {
    const sy_rate_limit limits[] = {limit("events/trackBulk", 10, 1)};
    Pacer pacer(limits);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    const auto interval = std::chrono::nanoseconds(111'111'111);  // 1/9 s: 9 requests per second
    EXPECT_EQ(pacer.reserve("events/trackBulk", t0), t0);
    EXPECT_EQ(pacer.reserve("events/trackBulk", t0), t0 + interval);
    EXPECT_EQ(pacer.reserve("events/trackBulk", t0), t0 + 2 * interval);
}

// Three hosts on one store, each delivering for a third of the users, stay under the limit together.
TEST(Pacer, AHostWithAShareOfTheUsersPacesToThatShareOfTheLimit) {
    const sy_rate_limit limits[] = {limit("events/trackBulk", 30, 1)};
    Pacer pacer(limits);
    pacer.set_share(1.0 / 3);
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/trackBulk"), 9);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    EXPECT_EQ(pacer.reserve("events/trackBulk", t0), t0);
    EXPECT_EQ(pacer.reserve("events/trackBulk", t0), t0 + std::chrono::nanoseconds(111'111'111));
    pacer.on_throttled("events/trackBulk", 0ms, t0);
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/trackBulk"), 9) << "halving 27 leaves the share's 9 as the bound";
    pacer.set_share(1);
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/trackBulk"), 13.5);
}

TEST(Pacer, TellsWhenTheLastKeyReservedCouldGoNextWithoutReserving) {
    const sy_rate_limit limits[] = {limit("events/trackBulk", 10, 1)};
    Pacer pacer(limits);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    const auto interval = std::chrono::nanoseconds(111'111'111);
    EXPECT_EQ(pacer.next_slot_of_last_key(t0), t0);  // nothing reserved yet
    pacer.reserve("unlimited/key", t0);
    EXPECT_EQ(pacer.next_slot_of_last_key(t0), t0);  // a key without a limit is never waited for
    pacer.reserve("events/trackBulk", t0);
    EXPECT_EQ(pacer.next_slot_of_last_key(t0), t0 + interval);
    EXPECT_EQ(pacer.next_slot_of_last_key(t0), t0 + interval);  // asking reserved nothing
    EXPECT_EQ(pacer.reserve("events/trackBulk", t0), t0 + interval);
    pacer.on_throttled("events/trackBulk", 5s, t0);
    EXPECT_EQ(pacer.next_slot_of_last_key(t0), t0 + 5s);  // paused by the 429's Retry-After
}

TEST(Pacer, AFloodNeverExceedsTheLimitInAnySecond) {
    const sy_rate_limit limits[] = {limit("users/bulkUpdate", 5, 5)};
    Pacer pacer(limits);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    std::vector<Pacer::Clock::time_point> sends;
    for (int i = 0; i < 100; ++i) sends.push_back(pacer.reserve("users/bulkUpdate", t0));
    for (size_t i = 0; i < sends.size(); ++i) {
        size_t in_window = 0;
        for (size_t j = i; j < sends.size() && sends[j] < sends[i] + 1s; ++j) ++in_window;
        EXPECT_LE(in_window, 10u) << "at send " << i;  // burst of 5 plus 5 per second at most
    }
    EXPECT_GE(sends.back() - t0, 20s);  // 100 requests at 4.5/s (after a burst of 5) take ~21 s
}

TEST(Pacer, UnknownKeysAreNotPaced) {
    Pacer pacer({});
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(pacer.reserve("anything", t0), t0);
}

TEST(Pacer, ThrottlingPausesHalvesAndRecovers) {
    const sy_rate_limit limits[] = {limit("events/track", 2000, 1)};
    Pacer pacer(limits);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    pacer.on_throttled("events/track", 3000ms, t0);
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/track"), 900);
    EXPECT_GE(pacer.reserve("events/track", t0), t0 + 3s);  // honours Retry-After
    for (int i = 0; i < 100; ++i) pacer.on_success("events/track");
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/track"), 1800);  // never above 90% of the declared limit
}

TEST(Pacer, RepeatedThrottlingHasAFloor) {
    const sy_rate_limit limits[] = {limit("events/track", 100, 1)};
    Pacer pacer(limits);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    for (int i = 0; i < 50; ++i) pacer.on_throttled("events/track", 0ms, t0 + i * 1s);  // each after the last pause
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/track"), 0.9);
}

TEST(Pacer, ThrottlesDuringOnePauseSlowDownOnce) {
    const sy_rate_limit limits[] = {limit("events/trackBulk", 10, 1)};
    Pacer pacer(limits);
    const auto t0 = Pacer::Clock::time_point{} + 1h;
    // Requests already in flight when the first 429 came back are answered 429 too.
    for (int i = 0; i < 5; ++i) pacer.on_throttled("events/trackBulk", 1000ms, t0 + i * 10ms);
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/trackBulk"), 4.5);
    pacer.on_throttled("events/trackBulk", 1000ms, t0 + 2s);
    EXPECT_DOUBLE_EQ(pacer.current_rate("events/trackBulk"), 2.25);
}

}  // namespace
}  // namespace switchyard
