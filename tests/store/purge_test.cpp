// Purging dead letters: by id, all, or older than a time, per destination; the count of dead
// letters per destination follows, and no pending job is touched.
#include <sqlite3.h>

#include "host/store/store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kIterable = "acme/iterable";
const std::string kAmplitude = "acme/amplitude";

class PurgeTest : public ::testing::Test {
   protected:
    // Two dead letters per destination (failed at kNow + 1000 and kNow + 2000), and one job of
    // each destination still pending.
    void SetUp() override {
        for (int n = 0; n < 3; ++n)
            store->append(std::vector{event("u" + std::to_string(n), "{\"n\":" + std::to_string(n) + "}",
                                             {kIterable, kAmplitude})},
                          kNow);
        for (const std::string &destination : {kIterable, kAmplitude}) {
            const std::vector<Job> jobs = store->claim(destination, 2, kNow, nobody_busy);
            ASSERT_EQ(jobs.size(), 2u);
            for (size_t i = 0; i < jobs.size(); ++i) {
                const JobSettlement dead{jobs[i].id, Settlement::dead, 0, "refused"};
                store->settle(std::span(&dead, 1), kNow + 1000 * static_cast<int64_t>(i + 1));
            }
        }
    }
    std::vector<int64_t> ids_of(const std::string &destination) {
        std::vector<int64_t> ids;
        for (const DeadLetter &letter : store->dead_letters(destination, 100)) ids.push_back(letter.id);
        return ids;
    }
    void expect_pending_untouched() {
        for (const QueueStats &q : store->queue_stats()) EXPECT_EQ(q.depth, 1u) << q.destination;
        EXPECT_EQ(store->queue_stats().size(), 2u);
    }

    TempDataDir dir;
    std::unique_ptr<Store> store = open_sqlite_store(dir.path());
};

TEST_F(PurgeTest, CountsDeadLettersPerDestination) {
    const std::map<std::string, uint64_t> expected = {{kAmplitude, 2}, {kIterable, 2}};
    EXPECT_EQ(store->dead_letter_counts(), expected);
}

TEST_F(PurgeTest, ByIdDeletesOnlyThoseAndReturnsTheCount) {
    const std::vector<int64_t> iterable = ids_of(kIterable);
    EXPECT_EQ(store->purge({"", {iterable[0], 999}, std::nullopt}), 1u);
    EXPECT_EQ(ids_of(kIterable), std::vector<int64_t>{iterable[1]});
    EXPECT_EQ(ids_of(kAmplitude).size(), 2u);
    const std::map<std::string, uint64_t> expected = {{kAmplitude, 2}, {kIterable, 1}};
    EXPECT_EQ(store->dead_letter_counts(), expected);
    expect_pending_untouched();
}

TEST_F(PurgeTest, ByIdOfAnotherDestinationDeletesNothing) {
    EXPECT_EQ(store->purge({kAmplitude, ids_of(kIterable), std::nullopt}), 0u);
    EXPECT_EQ(ids_of("").size(), 4u);
}

TEST_F(PurgeTest, AllOfOneDestination) {
    EXPECT_EQ(store->purge({kIterable, {}, std::nullopt}), 2u);
    EXPECT_TRUE(ids_of(kIterable).empty());
    EXPECT_EQ(ids_of(kAmplitude).size(), 2u);
    const std::map<std::string, uint64_t> expected = {{kAmplitude, 2}};
    EXPECT_EQ(store->dead_letter_counts(), expected);
    expect_pending_untouched();
}

TEST_F(PurgeTest, AllOfEveryDestination) {
    EXPECT_EQ(store->purge({}), 4u);
    EXPECT_TRUE(ids_of("").empty());
    EXPECT_TRUE(store->dead_letter_counts().empty());
    expect_pending_untouched();
}

TEST_F(PurgeTest, OlderThanDeletesThoseThatFailedBefore) {
    EXPECT_EQ(store->purge({"", {}, kNow + 1500}), 2u);  // the ones failed at kNow + 1000
    for (const DeadLetter &letter : store->dead_letters("", 100)) EXPECT_EQ(letter.failed_ms, kNow + 2000);
    EXPECT_EQ(store->purge({kIterable, {}, kNow + 2001}), 1u);
    EXPECT_EQ(ids_of(kAmplitude).size(), 1u);
    expect_pending_untouched();
}

TEST_F(PurgeTest, ReplayLowersTheCountAndDeadLetteringRaisesIt) {
    EXPECT_EQ(store->replay(kIterable, {}, kNow), 2u);
    const std::map<std::string, uint64_t> after_replay = {{kAmplitude, 2}};
    EXPECT_EQ(store->dead_letter_counts(), after_replay);
    const Job job = store->claim(kIterable, 1, kNow, nobody_busy).at(0);
    const JobSettlement dead{job.id, Settlement::dead, 0, "refused again"};
    store->settle(std::span(&dead, 1), kNow);
    EXPECT_EQ(store->dead_letter_counts().at(kIterable), 1u);
}

// A database of schema version 2 had no kept count: opening it counts the dead letters once,
// and the count is kept from then on.
TEST_F(PurgeTest, AnOlderDatabaseGetsItsDeadLettersCountedWhenOpened) {
    store.reset();
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "switchyard.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TRIGGER dead_letter_added; DROP TRIGGER dead_letter_removed; "
                           "DROP TABLE dead_letter_count; ALTER TABLE events DROP COLUMN source; "
                           "ALTER TABLE dead_letters DROP COLUMN source; "
                           "ALTER TABLE jobs DROP COLUMN crash_strikes; PRAGMA user_version = 2;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);

    store = open_sqlite_store(dir.path());
    EXPECT_EQ(store->dead_letter_counts().at(kIterable), 2u);
    EXPECT_EQ(store->purge({kIterable, {}, std::nullopt}), 2u);
    EXPECT_FALSE(store->dead_letter_counts().contains(kIterable));
}

}  // namespace
}  // namespace switchyard::testing
