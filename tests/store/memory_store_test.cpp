// The in-memory store (`switchyard send`'s queue) keeps the SQLite store's claim rules.
#include "host/store/memory_store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kDest = "acme/iterable";

class MemoryStoreTest : public ::testing::Test {
   protected:
    std::vector<Job> claim(size_t limit = 100, int64_t now = kNow) { return store.claim(kDest, limit, now, nobody_busy); }
    void settle(const Job &job, Settlement kind, int64_t next_attempt_ms = 0, int64_t now = kNow) {
        const JobSettlement settlement{job.id, kind, next_attempt_ms, "status 503: busy"};
        store.settle(std::span(&settlement, 1), now);
    }

    MemoryStore store;
};

TEST_F(MemoryStoreTest, JobIdsCountFromOneInAppendOrderAndClaimsFollowThem) {
    store.append(std::vector{event("u1", "a"), event("u2", "b"), event("u1", "c")}, kNow);
    const std::vector<Job> jobs = claim();
    EXPECT_EQ(payloads(jobs), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(jobs[0].id, 1);
    EXPECT_EQ(jobs[2].id, 3);
    EXPECT_EQ(jobs[2].user_key, "u1");
    EXPECT_EQ(jobs[2].created_ms, kNow);
    EXPECT_EQ(claim(2).size(), 2u);
    EXPECT_TRUE(store.claim("acme/other", 10, kNow, nobody_busy).empty());
}

TEST_F(MemoryStoreTest, AppendsTellTheListenerWhichDestinationsGotJobs) {
    std::vector<std::string> told;
    store.on_jobs_added([&](std::span<const std::string_view> destinations) {
        for (std::string_view d : destinations) told.emplace_back(d);
    });
    store.append(std::vector{event("u1", "a", {kDest, "acme/other"}), event("u1", "b", {})}, kNow);
    EXPECT_EQ(told, (std::vector<std::string>{"acme/iterable", "acme/other"}));
}

TEST_F(MemoryStoreTest, ARetryingJobHoldsBackItsUsersLaterJobsButNoOneElses) {
    store.append(std::vector{event("u1", "a"), event("u1", "b"), event("u2", "c")}, kNow);
    settle(claim(1).at(0), Settlement::retry, kNow + 1000);
    EXPECT_EQ(payloads(claim(100, kNow + 999)), std::vector<std::string>{"c"});
    const std::vector<Job> later = claim(100, kNow + 1000);
    EXPECT_EQ(payloads(later), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(later[0].attempts, 1u);
    EXPECT_EQ(later[0].first_failure_ms, kNow);
}

TEST_F(MemoryStoreTest, BusyUsersAreSkippedAndAskedAboutOnce) {
    store.append(std::vector{event("u1", "a"), event("u2", "b"), event("u1", "c")}, kNow);
    int asked_about_u1 = 0;
    auto busy = [&](std::string_view user) {
        asked_about_u1 += user == "u1";
        return user == "u1";
    };
    EXPECT_EQ(payloads(store.claim(kDest, 10, kNow, busy)), std::vector<std::string>{"b"});
    EXPECT_EQ(asked_about_u1, 1);
}

TEST_F(MemoryStoreTest, DeliveredJobsLeaveAndDeadOnesBecomeDeadLettersThatReplay) {
    store.append(std::vector{event("u1", "a"), event("u2", "b")}, kNow);
    const std::vector<Job> jobs = claim();
    settle(jobs[0], Settlement::delivered);
    settle(jobs[1], Settlement::dead, 0, kNow + 5);
    EXPECT_TRUE(claim().empty());
    EXPECT_TRUE(store.queue_stats().empty());
    const std::vector<DeadLetter> dead = store.dead_letters("", 10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].payload, "b");
    EXPECT_EQ(dead[0].reason, "status 503: busy");
    EXPECT_EQ(dead[0].failed_ms, kNow + 5);
    EXPECT_EQ(store.dead_letter_counts(), (std::map<std::string, uint64_t>{{kDest, 1}}));
    EXPECT_EQ(store.replay(kDest, {}, kNow), 1u);
    EXPECT_EQ(payloads(claim()), std::vector<std::string>{"b"});
    EXPECT_TRUE(store.dead_letters("", 10).empty());
}

TEST_F(MemoryStoreTest, SettlingAnUnknownJobChangesNothing) {
    store.append(std::vector{event("u1", "a")}, kNow);
    const std::vector<JobSettlement> settlements = {{999, Settlement::delivered, 0, {}}, {998, Settlement::dead, 0, "x"}};
    store.settle(settlements, kNow);
    EXPECT_EQ(claim().size(), 1u);
    EXPECT_EQ(store.queue_stats().at(0).depth, 1u);
    EXPECT_TRUE(store.dead_letters("", 10).empty());
}

}  // namespace
}  // namespace switchyard::testing
