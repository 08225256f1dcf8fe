// Dead letters: a job that cannot be delivered is kept with its reason and can be replayed.
#include "host/log/log.h"
#include "host/store/store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kDest = "acme/iterable";

class DeadLetterTest : public ::testing::Test {
   protected:
    std::vector<Job> claim(const std::string &destination = kDest) {
        return store->claim(destination, 100, kNow, nobody_busy);
    }
    void bury(const Job &job, const std::string &reason, int64_t now = kNow + 100) {
        const JobSettlement dead{job.id, Settlement::dead, 0, reason};
        store->settle(std::span(&dead, 1), now);
    }

    TempDataDir dir;
    std::unique_ptr<Store> store = open_sqlite_store(dir.path());
};

TEST_F(DeadLetterTest, RetryThenDeadLetterKeepsPayloadReasonAndAttempts) {
    store->append(std::vector{event("u1", "{\"a\":1}")}, kNow);
    const JobSettlement retry{claim()[0].id, Settlement::retry, kNow, "status 503: later"};
    store->settle(std::span(&retry, 1), kNow + 10);
    bury(claim()[0], "status 400: invalid email");

    EXPECT_TRUE(claim().empty());
    EXPECT_TRUE(store->queue_stats().empty());
    const std::vector<DeadLetter> letters = store->dead_letters("", 10);
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].destination, kDest);
    EXPECT_EQ(letters[0].user_key, "u1");
    EXPECT_EQ(letters[0].payload, "{\"a\":1}");
    EXPECT_EQ(letters[0].reason, "status 400: invalid email");
    EXPECT_EQ(letters[0].attempts, 2u);
    EXPECT_EQ(letters[0].created_ms, kNow);
    EXPECT_EQ(letters[0].failed_ms, kNow + 100);
}

// The store outlives the process that knows the secrets, and `dead-letter list` prints reasons
// as stored: a destination's answer echoing its key is redacted before it is written.
TEST_F(DeadLetterTest, ReasonsAreStoredRedacted) {
    log::add_secret("stored-reason-key-5150");
    store->append(std::vector{event("u1", "{}")}, kNow);
    bury(claim()[0], "abort (status 401): key stored-reason-key-5150 is invalid");
    ASSERT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 10)[0].reason, "abort (status 401): key [redacted] is invalid");
}

TEST_F(DeadLetterTest, ReplayMakesFreshJobsInTheirOriginalOrder) {
    store->append(std::vector{event("u1", "first"), event("u1", "second")}, kNow);
    const std::vector<Job> jobs = claim();
    bury(jobs[1], "x");  // dead-lettered before the earlier job
    bury(jobs[0], "y");
    const std::vector<int64_t> ids = {store->dead_letters("", 10)[0].id};
    EXPECT_EQ(store->replay("", ids, kNow), 1u);
    EXPECT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->replay("", {}, kNow), 1u);

    const std::vector<Job> replayed = claim();
    EXPECT_EQ(payloads(replayed), (std::vector<std::string>{"second", "first"}));  // ids replayed first go first
    EXPECT_EQ(replayed[0].attempts, 0u);
    EXPECT_EQ(replayed[0].first_failure_ms, 0);
    EXPECT_TRUE(store->dead_letters("", 10).empty());
}

TEST_F(DeadLetterTest, ReplayAllKeepsArrivalOrderAmongTheReplayed) {
    store->append(std::vector{event("u1", "first"), event("u1", "second"), event("u1", "third")}, kNow);
    const std::vector<Job> jobs = claim();
    bury(jobs[2], "x");
    bury(jobs[0], "x");
    bury(jobs[1], "x");
    EXPECT_EQ(store->replay(kDest, {}, kNow), 3u);
    EXPECT_EQ(payloads(claim()), (std::vector<std::string>{"first", "second", "third"}));
}

TEST_F(DeadLetterTest, DestinationFiltersListingAndReplay) {
    store->append(std::vector{event("u1", "a", {kDest, "acme/amplitude"})}, kNow);
    bury(claim()[0], "x");
    bury(claim("acme/amplitude")[0], "y");
    EXPECT_EQ(store->dead_letters("acme/amplitude", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 1).size(), 1u);  // the limit holds
    const int64_t iterable_letter = store->dead_letters(kDest, 10)[0].id;
    EXPECT_EQ(store->replay("acme/amplitude", std::vector{iterable_letter, int64_t{999}}, kNow), 0u);
    EXPECT_EQ(store->replay("acme/amplitude", {}, kNow), 1u);
    EXPECT_EQ(claim("acme/amplitude").size(), 1u);
    EXPECT_TRUE(claim().empty());
    EXPECT_EQ(store->dead_letters("", 10).size(), 1u);
}

TEST_F(DeadLetterTest, DeadLettersSurviveReopen) {
    store->append(std::vector{event("u1", "a")}, kNow);
    bury(claim()[0], "gone");
    store.reset();
    store = open_sqlite_store(dir.path());
    ASSERT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 10)[0].reason, "gone");
}

}  // namespace
}  // namespace switchyard::testing
