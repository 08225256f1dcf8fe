// Every store's dead letters: a job that cannot be delivered is kept with its reason and can be
// replayed, in its original order.
#include <chrono>
#include <thread>

#include "host/log/log.h"
#include "tests/store/store_suite.h"

namespace switchyard::testing {
namespace {

const std::string kDest = "acme/iterable";
const std::string kAmplitude = "acme/amplitude";

class StoreDeadLetters : public StoreSuite {
   protected:
    std::vector<Job> claim(const std::string &destination = kDest) { return StoreSuite::claim(destination); }
};
SWITCHYARD_ON_EVERY_STORE(StoreDeadLetters);

TEST_P(StoreDeadLetters, RetryThenDeadLetterKeepsPayloadReasonAndAttempts) {
    store->append(std::vector{event("u1", "{\"a\":1}")}, kNow);
    retry(claim().at(0), kNow, "status 503: later", kNow + 10);
    bury(claim().at(0), "status 400: invalid email", kNow + 100);

    EXPECT_TRUE(claim().empty());
    EXPECT_TRUE(store->queue_stats().empty());
    expect_depth_counted(kDest);
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
TEST_P(StoreDeadLetters, ReasonsAreStoredRedacted) {
    log::add_secret("stored-reason-key-5150");
    store->append(std::vector{event("u1", "{}")}, kNow);
    bury(claim().at(0), "abort (status 401): key stored-reason-key-5150 is invalid");
    ASSERT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 10)[0].reason, "abort (status 401): key [redacted] is invalid");
    EXPECT_EQ(count_rows("dead_letters WHERE reason LIKE '%stored-reason-key-5150%'"), 0);
}

TEST_P(StoreDeadLetters, ReplayMakesFreshJobsInTheirOriginalOrder) {
    store->append(std::vector{event("u1", "first"), event("u1", "second")}, kNow);
    const std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 2u);
    bury(jobs[1], "x");  // dead-lettered before the earlier job
    bury(jobs[0], "y");
    const std::vector<int64_t> ids = {store->dead_letters("", 10).at(0).id};
    EXPECT_EQ(store->replay("", ids, kNow), 1u);
    EXPECT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->replay("", {}, kNow), 1u);

    const std::vector<Job> replayed = claim();
    EXPECT_EQ(payloads(replayed), (std::vector<std::string>{"second", "first"}));  // ids replayed first go first
    ASSERT_EQ(replayed.size(), 2u);
    EXPECT_EQ(replayed[0].attempts, 0u);
    EXPECT_EQ(replayed[0].first_failure_ms, 0);
    EXPECT_TRUE(store->dead_letters("", 10).empty());
    expect_depth_counted(kDest);
}

TEST_P(StoreDeadLetters, ReplayAllKeepsArrivalOrderAmongTheReplayed) {
    store->append(std::vector{event("u1", "first"), event("u1", "second"), event("u1", "third")}, kNow);
    const std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 3u);
    bury(jobs[2], "x");
    bury(jobs[0], "x");
    bury(jobs[1], "x");
    EXPECT_EQ(store->replay(kDest, {}, kNow), 3u);
    EXPECT_EQ(payloads(claim()), (std::vector<std::string>{"first", "second", "third"}));
}

TEST_P(StoreDeadLetters, DestinationFiltersListingAndReplay) {
    store->append(std::vector{event("u1", "a", {kDest, kAmplitude})}, kNow);
    bury(claim().at(0), "x");
    bury(claim(kAmplitude).at(0), "y");
    EXPECT_EQ(store->dead_letters(kAmplitude, 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 1).size(), 1u);  // the limit holds
    const int64_t iterable_letter = store->dead_letters(kDest, 10).at(0).id;
    EXPECT_EQ(store->replay(kAmplitude, std::vector{iterable_letter, int64_t{999}}, kNow), 0u);
    EXPECT_EQ(store->replay(kAmplitude, {}, kNow), 1u);
    EXPECT_EQ(claim(kAmplitude).size(), 1u);
    EXPECT_TRUE(claim().empty());
    EXPECT_EQ(store->dead_letters("", 10).size(), 1u);
}

// `dead-letter replay` runs beside the host: the host, idle, notices the replayed jobs by its data
// version, and claims them.
TEST_P(StoreDeadLetters, AReplayByACommandBesideTheHostChangesTheHostsDataVersion) {
    const uint64_t empty = store->data_version();
    store->append(std::vector{event("u1", "a")}, kNow);
    EXPECT_NE(store->data_version(), empty);
    bury(claim().at(0), "refused");
    const uint64_t before = store->data_version();
    EXPECT_EQ(open_for_command()->replay(kDest, {}, kNow), 1u);
    // Another process's commit may show a moment later (PostgreSQL tells by a notification).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (store->data_version() == before && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_NE(store->data_version(), before);
    EXPECT_EQ(payloads(claim()), std::vector<std::string>{"a"});
    EXPECT_TRUE(store->dead_letter_counts().empty());
}

TEST_P(StoreDeadLetters, DeadLettersSurviveReopen) {
    store->append(std::vector{event("u1", "a")}, kNow);
    bury(claim().at(0), "gone");
    reopen();
    ASSERT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 10)[0].reason, "gone");
    EXPECT_EQ(store->dead_letter_counts().at(kDest), 1u);
}

}  // namespace
}  // namespace switchyard::testing
