// Every store's part of regulations: records kept across reopening, and purging one user's
// pending jobs and dead letters of one destination only.
#include "tests/store/store_suite.h"

namespace switchyard::testing {
namespace {

class StoreRegulations : public StoreSuite {};
SWITCHYARD_ON_EVERY_STORE(StoreRegulations);

TEST_P(StoreRegulations, RecordsSurviveReopeningAndUpdates) {
    const int64_t id = store->add_regulation(R"({"a":1})", kNow);
    store->update_regulation(id, R"({"a":2})");
    EXPECT_GT(store->add_regulation(R"({"b":1})", kNow + 1), id);
    reopen();
    const std::vector<StoredRegulation> kept = store->regulations();
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].id, id);
    EXPECT_EQ(kept[0].created_ms, kNow);
    EXPECT_EQ(kept[0].record, R"({"a":2})");
    EXPECT_EQ(kept[1].record, R"({"b":1})");
}

TEST_P(StoreRegulations, PurgesOnlyThatUsersJobsAndDeadLettersOfThatDestination) {
    store->append(std::vector{event("u1", R"({"n":1})", {"acme/iterable", "acme/webhook"}), event("u2", R"({"n":2})"),
                              event("u1", R"({"n":3})")},
                  kNow);
    EXPECT_EQ(store->purge_user_jobs("acme/iterable", "u1"), 2u);
    EXPECT_EQ(payloads(claim("acme/iterable", 10)), std::vector<std::string>{R"({"n":2})"});
    EXPECT_EQ(payloads(claim("acme/webhook", 10)), std::vector<std::string>{R"({"n":1})"});
    for (const QueueStats &q : store->queue_stats()) EXPECT_EQ(q.depth, 1u) << q.destination;
    expect_depth_counted("acme/iterable");
    expect_depth_counted("acme/webhook");

    for (const Job &job : claim("acme/webhook", 10)) bury(job, "refused");
    EXPECT_EQ(store->purge_user_dead_letters("acme/iterable", "u1"), 0u);
    EXPECT_EQ(store->purge_user_dead_letters("acme/webhook", "u1"), 1u);
    EXPECT_TRUE(store->dead_letters("", 10).empty());
    EXPECT_TRUE(store->dead_letter_counts().empty());
}

}  // namespace
}  // namespace switchyard::testing
