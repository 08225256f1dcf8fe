// The delivery trouble limiter: one report per kind per interval with the count in between,
// one recovery; time is passed in, so nothing sleeps.
#include <gtest/gtest.h>

#include "host/router/trouble_limiter.h"

namespace switchyard {
namespace {

using std::chrono::seconds;
const TroubleLimiter::TimePoint kStart{seconds(1000)};

TEST(TroubleLimiter, FirstOccurrenceIsReportedAtOnce) {
    TroubleLimiter limiter;
    const auto report = limiter.record(Trouble::retried, 3, "status 503", kStart);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->kind, Trouble::retried);
    EXPECT_EQ(report->count, 3u);
    EXPECT_FALSE(report->since_previous);
    EXPECT_EQ(report->last_reason, "status 503");
}

TEST(TroubleLimiter, WithinTheIntervalOccurrencesAreCountedIntoTheNextReport) {
    TroubleLimiter limiter;
    ASSERT_TRUE(limiter.record(Trouble::retried, 1, "a", kStart));
    EXPECT_FALSE(limiter.record(Trouble::retried, 10, "b", kStart + seconds(1)));
    EXPECT_FALSE(limiter.record(Trouble::retried, 26, "c", kStart + seconds(9)));
    const auto report = limiter.record(Trouble::retried, 1, "d", kStart + seconds(10));
    ASSERT_TRUE(report);
    EXPECT_EQ(report->count, 37u);
    EXPECT_EQ(report->since_previous, seconds(10));
    EXPECT_EQ(report->last_reason, "d");
    EXPECT_FALSE(limiter.record(Trouble::retried, 1, "e", kStart + seconds(19)));
}

TEST(TroubleLimiter, EachKindHasItsOwnInterval) {
    TroubleLimiter limiter;
    ASSERT_TRUE(limiter.record(Trouble::retried, 1, "503", kStart));
    ASSERT_TRUE(limiter.record(Trouble::throttled, 1, "429", kStart));
    ASSERT_TRUE(limiter.record(Trouble::dead_lettered, 1, "400", kStart));
    EXPECT_FALSE(limiter.record(Trouble::throttled, 1, "429", kStart + seconds(5)));
}

TEST(TroubleLimiter, NothingHappenedIsNoReport) {
    TroubleLimiter limiter;
    EXPECT_FALSE(limiter.record(Trouble::retried, 0, "", kStart));
    EXPECT_FALSE(limiter.recovered());
}

TEST(TroubleLimiter, RecoveryIsReportedOnceAfterRetriesOrThrottling) {
    TroubleLimiter limiter;
    EXPECT_FALSE(limiter.recovered());
    limiter.record(Trouble::throttled, 1, "429", kStart);
    EXPECT_TRUE(limiter.recovered());
    EXPECT_FALSE(limiter.recovered());
    limiter.record(Trouble::retried, 1, "503", kStart + seconds(1));  // within the interval: not reported
    EXPECT_TRUE(limiter.recovered());
}

TEST(TroubleLimiter, DeadLettersAloneNeedNoRecovery) {
    TroubleLimiter limiter;
    limiter.record(Trouble::dead_lettered, 1, "status 400: invalid email", kStart);
    EXPECT_FALSE(limiter.recovered());
}

}  // namespace
}  // namespace switchyard
