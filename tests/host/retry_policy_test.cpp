// Retry decisions: backoff grows with full jitter, Retry-After is a floor, the window ends it.
#include <gtest/gtest.h>

#include "host/router/retry_policy.h"

namespace switchyard {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

Job job_with(uint32_t attempts, int64_t first_failure_ms) {
    Job job;
    job.id = 7;
    job.attempts = attempts;
    job.first_failure_ms = first_failure_ms;
    return job;
}

TEST(RetryPolicy, BackoffIsFullJitterUnderAGrowingCeiling) {
    DeliveryPolicy policy;
    std::mt19937_64 random(1);
    const EventOutcome failed{SY_RETRY, 503, "down", 0, true};
    for (uint32_t attempts : {0u, 3u, 10u}) {
        const int64_t ceiling = std::min<int64_t>(policy.backoff_cap.count(), policy.backoff_base.count() << attempts);
        for (int i = 0; i < 200; ++i) {
            JobSettlement s = retry_or_dead_letter(job_with(attempts, kNow), failed, policy, kNow, random);
            EXPECT_EQ(s.kind, Settlement::retry);
            EXPECT_GE(s.next_attempt_ms, kNow);
            EXPECT_LE(s.next_attempt_ms, kNow + ceiling);
            EXPECT_EQ(s.reason, "retry (status 503): down");
        }
    }
}

TEST(RetryPolicy, RetryAfterIsAFloor) {
    DeliveryPolicy policy;
    std::mt19937_64 random(2);
    const EventOutcome throttled{SY_THROTTLED, 429, "slow down", 30'000, true};
    JobSettlement s = retry_or_dead_letter(job_with(0, 0), throttled, policy, kNow, random);
    EXPECT_EQ(s.kind, Settlement::retry);
    EXPECT_EQ(s.next_attempt_ms, kNow + 30'000);
}

TEST(RetryPolicy, PastTheRetryWindowTheJobIsDeadLetteredWithTheLastError) {
    DeliveryPolicy policy;  // 3 h window
    std::mt19937_64 random(3);
    const EventOutcome failed{SY_RETRY, 0, "Couldn't connect to server", 0, true};
    const int64_t first_failure = kNow - 3 * 3600 * 1000;
    JobSettlement s = retry_or_dead_letter(job_with(41, first_failure), failed, policy, kNow, random);
    EXPECT_EQ(s.kind, Settlement::dead);
    EXPECT_EQ(s.reason, "gave up after the retry window of 10800 s (42 attempts); last error: retry: Couldn't connect to server");
}

// `switchyard send --retries N`: N + 1 sends at most, whatever the window.
TEST(RetryPolicy, AtTheMostAttemptsTheJobIsDeadLetteredWithTheLastError) {
    DeliveryPolicy policy;
    policy.max_attempts = 2;
    std::mt19937_64 random(4);
    const EventOutcome failed{SY_RETRY, 500, "down", 0, true};
    EXPECT_EQ(retry_or_dead_letter(job_with(0, 0), failed, policy, kNow, random).kind, Settlement::retry);
    JobSettlement s = retry_or_dead_letter(job_with(1, kNow), failed, policy, kNow, random);
    EXPECT_EQ(s.kind, Settlement::dead);
    EXPECT_EQ(s.reason, "gave up after 2 attempts; last error: retry (status 500): down");
}

}  // namespace
}  // namespace switchyard
