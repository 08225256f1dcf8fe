// The SQLite store's migrations from older schemas: what each added is filled in from the rows
// already there.
#include <sqlite3.h>

#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kDest = "acme/iterable";

// Runs `sql` on the closed store's file: how a database of an older version is made.
void rewrite(const std::filesystem::path &data_dir, const char *sql) {
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(sqlite_store_file(data_dir).c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

// A database of schema version 1 had no kept count: opening it counts the jobs once.
TEST(SqliteMigrations, AnOlderDatabaseGetsItsQueueDepthCountedWhenOpened) {
    TempDataDir dir;
    open_sqlite_store(dir.path())->append(std::vector{event("u1", "a"), event("u2", "b")}, kNow);
    rewrite(dir.path(),
            "DROP TABLE queue_depth; DROP TRIGGER dead_letter_added; DROP TRIGGER dead_letter_removed; "
            "DROP TABLE dead_letter_count; ALTER TABLE events DROP COLUMN source; "
            "ALTER TABLE dead_letters DROP COLUMN source; "
            "ALTER TABLE jobs DROP COLUMN crash_strikes; PRAGMA user_version = 1;");  // what 2-6 added (5 is idempotent)

    const std::vector<QueueStats> stats = open_sqlite_store(dir.path())->queue_stats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].depth, 2u);
}

// A database of schema version 2 had no kept count: opening it counts the dead letters once,
// and the count is kept from then on.
TEST(SqliteMigrations, AnOlderDatabaseGetsItsDeadLettersCountedWhenOpened) {
    TempDataDir dir;
    {
        auto store = open_sqlite_store(dir.path());
        store->append(std::vector{event("u1", "a"), event("u2", "b"), event("u3", "c")}, kNow);
        const std::vector<Job> jobs = store->claim(kDest, 2, kNow, nobody_busy);
        ASSERT_EQ(jobs.size(), 2u);
        const std::vector<JobSettlement> dead = {{jobs[0].id, Settlement::dead, 0, "refused"},
                                                 {jobs[1].id, Settlement::dead, 0, "refused"}};
        store->settle(dead, kNow);
    }
    rewrite(dir.path(),
            "DROP TRIGGER dead_letter_added; DROP TRIGGER dead_letter_removed; "
            "DROP TABLE dead_letter_count; ALTER TABLE events DROP COLUMN source; "
            "ALTER TABLE dead_letters DROP COLUMN source; "
            "ALTER TABLE jobs DROP COLUMN crash_strikes; PRAGMA user_version = 2;");

    auto store = open_sqlite_store(dir.path());
    EXPECT_EQ(store->dead_letter_counts().at(kDest), 2u);
    EXPECT_EQ(store->purge({kDest, {}, std::nullopt}), 2u);
    EXPECT_FALSE(store->dead_letter_counts().contains(kDest));
    EXPECT_EQ(store->queue_stats().at(0).depth, 1u);  // the pending job stayed
}

TEST(SqliteMigrations, AVersion4DatabaseGetsTheRegulationsTable) {
    TempDataDir dir;
    open_sqlite_store(dir.path())->append(std::vector{event("u1", "{}")}, kNow);
    rewrite(dir.path(),
            "DROP TABLE regulations; DROP INDEX jobs_user; DROP INDEX dead_letters_user; "
            "ALTER TABLE jobs DROP COLUMN crash_strikes; PRAGMA user_version = 4;");
    auto store = open_sqlite_store(dir.path());
    EXPECT_TRUE(store->regulations().empty());
    EXPECT_EQ(store->add_regulation("{}", kNow), 1);
    EXPECT_EQ(store->queue_stats().at(0).depth, 1u);  // the jobs stayed
}

}  // namespace
}  // namespace switchyard::testing
