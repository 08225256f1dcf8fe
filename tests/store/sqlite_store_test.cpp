// The SQLite store through its interface: append, claim in per-user order, settle, stats.
#include <sqlite3.h>

#include "host/store/store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kDest = "acme/iterable";

class SqliteStoreTest : public ::testing::Test {
   protected:
    std::vector<Job> claim(size_t limit = 100, int64_t now = kNow) {
        return store->claim(kDest, limit, now, nobody_busy);
    }
    void deliver(const std::vector<Job> &jobs) {
        std::vector<JobSettlement> settlements;
        for (const Job &job : jobs) settlements.push_back({job.id, Settlement::delivered, 0, {}});
        store->settle(settlements, kNow);
    }
    int64_t count_rows(const std::string &table) {
        sqlite3 *db = nullptr;
        sqlite3_open((dir.path() / "switchyard.db").c_str(), &db);
        sqlite3_stmt *statement = nullptr;
        sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM " + table).c_str(), -1, &statement, nullptr);
        sqlite3_step(statement);
        const int64_t n = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
        sqlite3_close(db);
        return n;
    }

    TempDataDir dir;
    std::unique_ptr<Store> store = open_sqlite_store(dir.path());
};

TEST_F(SqliteStoreTest, ClaimReturnsDueJobsInArrivalOrderWithTheirPayload) {
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
    EXPECT_TRUE(store->claim("acme/other", 10, kNow, nobody_busy).empty());
}

// Delivery picks the instance of the event's connection by its source: it must survive a dead
// letter and its replay.
TEST_F(SqliteStoreTest, EachJobKeepsItsEventsSourceThroughDeadLetterAndReplay) {
    IncomingEvent from_app = event("u1", "a");
    from_app.source = "app";
    store->append(std::vector{from_app, event("u2", "b")}, kNow);
    std::vector<Job> jobs = claim();
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].source, "app");
    EXPECT_EQ(jobs[1].source, "");
    const JobSettlement dead{jobs[0].id, Settlement::dead, 0, "refused"};
    store->settle(std::span(&dead, 1), kNow);
    deliver({jobs[1]});
    ASSERT_EQ(store->replay(kDest, {}, kNow), 1u);
    jobs = claim();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].payload, "a");
    EXPECT_EQ(jobs[0].source, "app");
}

TEST_F(SqliteStoreTest, OnePayloadPerEventAndItGoesWithItsLastJob) {
    const std::vector<IncomingEvent> events = {event("u1", "{}", {kDest, "acme/amplitude"}), event("u1", "{}", {})};
    store->append(events, kNow);
    EXPECT_EQ(count_rows("events"), 1);  // the event with no destination is not kept
    EXPECT_EQ(count_rows("jobs"), 2);
    deliver(claim());
    EXPECT_EQ(count_rows("events"), 1);  // amplitude still needs it
    const std::vector<Job> other = store->claim("acme/amplitude", 10, kNow, nobody_busy);
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0].payload, "{}");
    deliver(other);
    EXPECT_EQ(count_rows("events"), 0);
    EXPECT_TRUE(store->queue_stats().empty());
}

TEST_F(SqliteStoreTest, ARetryingJobHoldsBackItsUsersLaterJobsButNoOneElses) {
    const std::vector<IncomingEvent> events = {event("u1", "a"), event("u1", "b"), event("u2", "c")};
    store->append(events, kNow);
    const std::vector<Job> first = claim(1);
    ASSERT_EQ(payloads(first), std::vector<std::string>{"a"});
    const JobSettlement retry{first[0].id, Settlement::retry, kNow + 1000, "status 503: busy"};
    store->settle(std::span(&retry, 1), kNow);

    EXPECT_EQ(payloads(claim(100, kNow + 999)), std::vector<std::string>{"c"});
    const std::vector<Job> later = claim(100, kNow + 1000);
    EXPECT_EQ(payloads(later), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(later[0].attempts, 1u);
    EXPECT_EQ(later[0].first_failure_ms, kNow);
}

TEST_F(SqliteStoreTest, BusyUsersAreSkippedAndAskedAboutOnce) {
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

TEST_F(SqliteStoreTest, RetriesCountAttemptsAndKeepTheFirstFailureTime) {
    store->append(std::vector{event("u1", "a")}, kNow);
    const int64_t id = claim()[0].id;
    const JobSettlement first{id, Settlement::retry, kNow + 10, "timeout"};
    store->settle(std::span(&first, 1), kNow);
    const JobSettlement second{id, Settlement::retry, kNow + 20, "status 500"};
    store->settle(std::span(&second, 1), kNow + 10);
    const std::vector<Job> jobs = claim(10, kNow + 20);
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].attempts, 2u);
    EXPECT_EQ(jobs[0].first_failure_ms, kNow);
}

TEST_F(SqliteStoreTest, SettlingAnUnknownJobChangesNothing) {
    store->append(std::vector{event("u1", "a")}, kNow);
    const std::vector<JobSettlement> settlements = {{999, Settlement::delivered, 0, {}},
                                                    {998, Settlement::dead, 0, "x"},
                                                    {997, Settlement::retry, kNow, "y"}};
    store->settle(settlements, kNow);
    EXPECT_EQ(claim().size(), 1u);
    EXPECT_TRUE(store->dead_letters("", 10).empty());
}

TEST_F(SqliteStoreTest, QueueStatsCountPendingJobsPerDestination) {
    store->append(std::vector{event("u1", "a", {kDest, "acme/amplitude"})}, kNow - 5000);
    store->append(std::vector{event("u2", "b")}, kNow);
    std::vector<QueueStats> stats = store->queue_stats();
    ASSERT_EQ(stats.size(), 2u);
    std::sort(stats.begin(), stats.end(), [](const auto &a, const auto &b) { return a.destination < b.destination; });
    EXPECT_EQ(stats[0].destination, "acme/amplitude");
    EXPECT_EQ(stats[0].depth, 1u);
    EXPECT_EQ(stats[1].destination, kDest);
    EXPECT_EQ(stats[1].depth, 2u);
    EXPECT_EQ(stats[1].oldest_created_ms, kNow - 5000);
}

// queue_stats() reads a kept count; it must always equal what a COUNT(*) of the jobs says.
TEST_F(SqliteStoreTest, QueueDepthFollowsAppendsSettlementsAndReplays) {
    const auto depth_of = [&](const std::string &destination) -> int64_t {
        for (const QueueStats &q : store->queue_stats())
            if (q.destination == destination) return static_cast<int64_t>(q.depth);
        return 0;  // a destination without pending jobs is not listed
    };
    const auto counted = [&](const std::string &destination) {
        return count_rows("jobs WHERE destination = '" + destination + "'");
    };
    store->append(std::vector{event("u1", "a", {kDest, "acme/amplitude"}), event("u2", "b"), event("u3", "c")}, kNow);
    EXPECT_EQ(depth_of(kDest), 3);
    EXPECT_EQ(depth_of("acme/amplitude"), 1);

    const std::vector<Job> jobs = claim();
    const std::vector<JobSettlement> settlements = {{jobs[0].id, Settlement::delivered, 0, {}},
                                                    {jobs[1].id, Settlement::dead, 0, "refused"},
                                                    {jobs[2].id, Settlement::retry, kNow + 50, "503"},
                                                    {jobs[0].id, Settlement::delivered, 0, {}}};  // twice: no-op
    store->settle(settlements, kNow);
    EXPECT_EQ(depth_of(kDest), 1);
    EXPECT_EQ(depth_of(kDest), counted(kDest));

    EXPECT_EQ(store->replay(kDest, {}, kNow), 1u);
    EXPECT_EQ(depth_of(kDest), 2);
    EXPECT_EQ(depth_of(kDest), counted(kDest));

    deliver(claim(100, kNow + 100));
    EXPECT_EQ(depth_of(kDest), 0);
    EXPECT_EQ(depth_of("acme/amplitude"), counted("acme/amplitude"));
}

// A database of schema version 1 had no kept count: opening it counts the jobs once.
TEST_F(SqliteStoreTest, AnOlderDatabaseGetsItsQueueDepthCountedWhenOpened) {
    store->append(std::vector{event("u1", "a"), event("u2", "b")}, kNow);
    store.reset();
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "switchyard.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE queue_depth; DROP TRIGGER dead_letter_added; DROP TRIGGER dead_letter_removed; "
                           "DROP TABLE dead_letter_count; ALTER TABLE events DROP COLUMN source; "
                           "ALTER TABLE dead_letters DROP COLUMN source; "
                           "ALTER TABLE jobs DROP COLUMN crash_strikes; PRAGMA user_version = 1;",  // what 2-6 added (5 is idempotent)
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);

    store = open_sqlite_store(dir.path());
    const std::vector<QueueStats> stats = store->queue_stats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].depth, 2u);
}

TEST_F(SqliteStoreTest, EverythingPendingSurvivesCloseAndReopen) {
    store->append(std::vector{event("u1", "a"), event("u2", "b")}, kNow);
    const JobSettlement retry{claim(1)[0].id, Settlement::retry, kNow + 50, "503"};
    store->settle(std::span(&retry, 1), kNow);
    store.reset();
    store = open_sqlite_store(dir.path());
    EXPECT_EQ(payloads(claim(10, kNow)), std::vector<std::string>{"b"});
    const std::vector<Job> jobs = claim(10, kNow + 50);
    EXPECT_EQ(payloads(jobs), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(jobs[0].attempts, 1u);
}

TEST_F(SqliteStoreTest, AHugeBacklogWithABlockedHeadStillClaimsWithinTheScanWindow) {
    std::vector<IncomingEvent> events;
    for (int i = 0; i < 3000; ++i) events.push_back(event("stuck", "s"));
    events.push_back(event("free", "f"));
    store->append(events, kNow);
    auto busy = [](std::string_view user) { return user == "stuck"; };
    EXPECT_EQ(payloads(store->claim(kDest, 10, kNow, busy)), std::vector<std::string>{"f"});
}

}  // namespace
}  // namespace switchyard::testing
