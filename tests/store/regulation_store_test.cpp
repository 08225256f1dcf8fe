// The store's part of regulations: records kept across reopening, the schema 3 → 4 migration,
// and purging one user's pending jobs and dead letters of one destination only.
#include <sqlite3.h>

#include "store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

TEST(RegulationStore, RecordsSurviveReopeningAndUpdates) {
    TempDataDir dir;
    int64_t id = 0;
    {
        auto store = open_sqlite_store(dir.path());
        id = store->add_regulation(R"({"a":1})", kNow);
        store->update_regulation(id, R"({"a":2})");
        EXPECT_GT(store->add_regulation(R"({"b":1})", kNow + 1), id);
    }
    auto store = open_sqlite_store(dir.path());
    const std::vector<StoredRegulation> kept = store->regulations();
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].id, id);
    EXPECT_EQ(kept[0].created_ms, kNow);
    EXPECT_EQ(kept[0].record, R"({"a":2})");
    EXPECT_EQ(kept[1].record, R"({"b":1})");
}

TEST(RegulationStore, AVersion4DatabaseGetsTheRegulationsTable) {
    TempDataDir dir;
    {
        auto store = open_sqlite_store(dir.path());
        store->append(std::vector{event("u1", "{}")}, kNow);
    }
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "switchyard.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE regulations; DROP INDEX jobs_user; DROP INDEX dead_letters_user; "
                               "ALTER TABLE jobs DROP COLUMN crash_strikes; PRAGMA user_version = 4;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto store = open_sqlite_store(dir.path());
    EXPECT_TRUE(store->regulations().empty());
    EXPECT_EQ(store->add_regulation("{}", kNow), 1);
    EXPECT_EQ(store->queue_stats().at(0).depth, 1u);  // the jobs stayed
}

TEST(RegulationStore, PurgesOnlyThatUsersJobsAndDeadLettersOfThatDestination) {
    TempDataDir dir;
    auto store = open_sqlite_store(dir.path());
    store->append(std::vector{event("u1", R"({"n":1})", {"acme/iterable", "acme/webhook"}), event("u2", R"({"n":2})"),
                              event("u1", R"({"n":3})")},
                  kNow);
    EXPECT_EQ(store->purge_user_jobs("acme/iterable", "u1"), 2u);
    EXPECT_EQ(payloads(store->claim("acme/iterable", 10, kNow, nobody_busy)), std::vector<std::string>{R"({"n":2})"});
    EXPECT_EQ(payloads(store->claim("acme/webhook", 10, kNow, nobody_busy)), std::vector<std::string>{R"({"n":1})"});
    for (const QueueStats &q : store->queue_stats()) EXPECT_EQ(q.depth, 1u) << q.destination;

    for (const Job &job : store->claim("acme/webhook", 10, kNow, nobody_busy)) {
        const JobSettlement dead{job.id, Settlement::dead, 0, "refused"};
        store->settle(std::span(&dead, 1), kNow);
    }
    EXPECT_EQ(store->purge_user_dead_letters("acme/iterable", "u1"), 0u);
    EXPECT_EQ(store->purge_user_dead_letters("acme/webhook", "u1"), 1u);
    EXPECT_TRUE(store->dead_letters("", 10).empty());
}

}  // namespace
}  // namespace switchyard::testing
