// Every store's job queue through its interface: append, claim in per-user order, settle, retry,
// queue depth, next_due_ms, and everything pending surviving a reopen.
#include <algorithm>

#include "tests/store/store_suite.h"

namespace switchyard::testing {
namespace {

const std::string kDest = "acme/iterable";
const std::string kAmplitude = "acme/amplitude";

class StoreQueue : public StoreSuite {
   protected:
    std::vector<Job> claim(size_t limit = 100, int64_t now = kNow) { return StoreSuite::claim(kDest, limit, now); }
};
SWITCHYARD_ON_EVERY_STORE(StoreQueue);

TEST_P(StoreQueue, ClaimReturnsDueJobsInArrivalOrderWithTheirPayload) {
    const std::vector<IncomingEvent> events = {event("u1", "{\"n\":1}"), event("u2", "{\"n\":2}"),
                                               event("u1", "{\"n\":3}")};
    store->append(events, kNow);
    const std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 3u);
    EXPECT_EQ(payloads(jobs), (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}", "{\"n\":3}"}));
    EXPECT_LT(jobs[0].id, jobs[1].id);
    EXPECT_LT(jobs[1].id, jobs[2].id);
    EXPECT_EQ(jobs[2].user_key, "u1");
    EXPECT_EQ(jobs[2].destination, kDest);
    EXPECT_EQ(jobs[2].attempts, 0u);
    EXPECT_EQ(jobs[2].created_ms, kNow);
    EXPECT_EQ(jobs[2].first_failure_ms, 0);
    EXPECT_EQ(claim(2).size(), 2u);
    EXPECT_TRUE(StoreSuite::claim("acme/other", 10).empty());
}

TEST_P(StoreQueue, AppendsTellTheListenerWhichDestinationsGotJobs) {
    std::vector<std::string> told;
    store->on_jobs_added([&](std::span<const std::string_view> destinations) {
        for (std::string_view d : destinations) told.emplace_back(d);
    });
    store->append(std::vector{event("u1", "a", {kDest, kAmplitude}), event("u1", "b", {})}, kNow);
    std::sort(told.begin(), told.end());
    EXPECT_EQ(told, (std::vector<std::string>{kAmplitude, kDest}));
}

// Delivery picks the instance of the event's connection by its source: it must survive a dead
// letter and its replay.
TEST_P(StoreQueue, EachJobKeepsItsEventsSourceThroughDeadLetterAndReplay) {
    IncomingEvent from_app = event("u1", "a");
    from_app.source = "app";
    store->append(std::vector{from_app, event("u2", "b")}, kNow);
    std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].source, "app");
    EXPECT_EQ(jobs[1].source, "");
    bury(jobs[0], "refused");
    deliver({jobs[1]});
    ASSERT_EQ(store->replay(kDest, {}, kNow), 1u);
    jobs = claim();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].payload, "a");
    EXPECT_EQ(jobs[0].source, "app");
}

TEST_P(StoreQueue, OnePayloadPerEventAndItGoesWithItsLastJob) {
    const std::vector<IncomingEvent> events = {event("u1", "{}", {kDest, kAmplitude}), event("u1", "{}", {})};
    store->append(events, kNow);
    EXPECT_EQ(count_rows("events"), 1);  // the event with no destination is not kept
    EXPECT_EQ(count_rows("jobs"), 2);
    deliver(claim());
    EXPECT_EQ(count_rows("events"), 1);  // amplitude still needs it
    const std::vector<Job> other = StoreSuite::claim(kAmplitude, 10);
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0].payload, "{}");
    deliver(other);
    EXPECT_EQ(count_rows("events"), 0);
    EXPECT_TRUE(store->queue_stats().empty());
}

TEST_P(StoreQueue, ARetryingJobHoldsBackItsUsersLaterJobsButNoOneElses) {
    const std::vector<IncomingEvent> events = {event("u1", "a"), event("u1", "b"), event("u2", "c")};
    store->append(events, kNow);
    const std::vector<Job> first = claim(1);
    ASSERT_EQ(payloads(first), std::vector<std::string>{"a"});
    retry(first[0], kNow + 1000, "status 503: busy");

    EXPECT_EQ(payloads(claim(100, kNow + 999)), std::vector<std::string>{"c"});
    const std::vector<Job> later = claim(100, kNow + 1000);
    EXPECT_EQ(payloads(later), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(later[0].attempts, 1u);
    EXPECT_EQ(later[0].first_failure_ms, kNow);
}

TEST_P(StoreQueue, BusyUsersAreSkippedAndAskedAboutOnce) {
    const std::vector<IncomingEvent> events = {event("u1", "a"), event("u2", "b"), event("u1", "c")};
    store->append(events, kNow);
    int asked_about_u1 = 0;
    auto busy = [&](std::string_view user) {
        asked_about_u1 += user == "u1";
        return user == "u1";
    };
    EXPECT_EQ(payloads(store->claim(kDest, 10, kNow, busy)), std::vector<std::string>{"b"});
    EXPECT_EQ(asked_about_u1, 1);
}

TEST_P(StoreQueue, RetriesCountAttemptsAndKeepTheFirstFailureTime) {
    store->append(std::vector{event("u1", "a")}, kNow);
    const Job job = claim().at(0);
    retry(job, kNow + 10, "timeout");
    retry(job, kNow + 20, "status 500", kNow + 10);
    const std::vector<Job> jobs = claim(10, kNow + 20);
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].attempts, 2u);
    EXPECT_EQ(jobs[0].first_failure_ms, kNow);
}

TEST_P(StoreQueue, SettlingAnUnknownJobChangesNothing) {
    store->append(std::vector{event("u1", "a")}, kNow);
    const std::vector<JobSettlement> settlements = {{999, Settlement::delivered, 0, {}},
                                                    {998, Settlement::dead, 0, "x"},
                                                    {997, Settlement::retry, kNow, "y"}};
    store->settle(settlements, kNow);
    EXPECT_EQ(claim().size(), 1u);
    EXPECT_TRUE(store->dead_letters("", 10).empty());
    EXPECT_EQ(depth_of(kDest), 1);
}

TEST_P(StoreQueue, QueueStatsCountPendingJobsPerDestination) {
    store->append(std::vector{event("u1", "a", {kDest, kAmplitude})}, kNow - 5000);
    store->append(std::vector{event("u2", "b")}, kNow);
    std::vector<QueueStats> stats = store->queue_stats();
    ASSERT_EQ(stats.size(), 2u);
    std::sort(stats.begin(), stats.end(), [](const auto &a, const auto &b) { return a.destination < b.destination; });
    EXPECT_EQ(stats[0].destination, kAmplitude);
    EXPECT_EQ(stats[0].depth, 1u);
    EXPECT_EQ(stats[1].destination, kDest);
    EXPECT_EQ(stats[1].depth, 2u);
    EXPECT_EQ(stats[1].oldest_created_ms, kNow - 5000);
}

// queue_stats() reads a kept count; it must always equal what a COUNT(*) of the jobs says.
TEST_P(StoreQueue, QueueDepthFollowsAppendsSettlementsAndReplays) {
    store->append(std::vector{event("u1", "a", {kDest, kAmplitude}), event("u2", "b"), event("u3", "c")}, kNow);
    EXPECT_EQ(depth_of(kDest), 3);
    EXPECT_EQ(depth_of(kAmplitude), 1);
    expect_depth_counted(kDest);

    const std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 3u);
    const std::vector<JobSettlement> settlements = {{jobs[0].id, Settlement::delivered, 0, {}},
                                                    {jobs[1].id, Settlement::dead, 0, "refused"},
                                                    {jobs[2].id, Settlement::retry, kNow + 50, "503"},
                                                    {jobs[0].id, Settlement::delivered, 0, {}}};  // twice: no-op
    store->settle(settlements, kNow);
    EXPECT_EQ(depth_of(kDest), 1);
    expect_depth_counted(kDest);

    EXPECT_EQ(store->replay(kDest, {}, kNow), 1u);
    EXPECT_EQ(depth_of(kDest), 2);
    expect_depth_counted(kDest);

    deliver(claim(100, kNow + 100));
    EXPECT_EQ(depth_of(kDest), 0);
    expect_depth_counted(kDest);
    expect_depth_counted(kAmplitude);
}

TEST_P(StoreQueue, NextDueIsNowForANewJobAndTheEarliestRetryOtherwise) {
    EXPECT_EQ(store->next_due_ms(kDest), std::nullopt);
    store->append(std::vector{event("u1", "a"), event("u2", "b")}, kNow);
    ASSERT_TRUE(store->next_due_ms(kDest).has_value());
    EXPECT_LE(*store->next_due_ms(kDest), kNow);  // due at once
    EXPECT_EQ(store->next_due_ms(kAmplitude), std::nullopt);

    const std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 2u);
    retry(jobs[0], kNow + 1000);
    retry(jobs[1], kNow + 500);
    EXPECT_EQ(store->next_due_ms(kDest), kNow + 500);
    deliver(claim(100, kNow + 500));
    EXPECT_EQ(store->next_due_ms(kDest), kNow + 1000);
    deliver(claim(100, kNow + 1000));
    EXPECT_EQ(store->next_due_ms(kDest), std::nullopt);
}

TEST_P(StoreQueue, EverythingPendingSurvivesCloseAndReopen) {
    store->append(std::vector{event("u1", "a"), event("u2", "b")}, kNow);
    retry(claim(1).at(0), kNow + 50, "503");
    reopen();
    EXPECT_EQ(payloads(claim(10, kNow)), std::vector<std::string>{"b"});
    const std::vector<Job> jobs = claim(10, kNow + 50);
    EXPECT_EQ(payloads(jobs), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(jobs[0].attempts, 1u);
    EXPECT_EQ(depth_of(kDest), 2);
}

TEST_P(StoreQueue, AHugeBacklogWithABlockedHeadStillClaimsWithinTheScanWindow) {
    std::vector<IncomingEvent> events;
    for (int i = 0; i < 3000; ++i) events.push_back(event("stuck", "s"));
    events.push_back(event("free", "f"));
    store->append(events, kNow);
    auto busy = [](std::string_view user) { return user == "stuck"; };
    EXPECT_EQ(payloads(store->claim(kDest, 10, kNow, busy)), std::vector<std::string>{"f"});
}

}  // namespace
}  // namespace switchyard::testing
