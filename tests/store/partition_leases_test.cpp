// Several hosts on one PostgreSQL, each a store in this process: the users' partitions are shared
// out evenly, a host that leaves hands its share over, and a partition changes hands only once
// the jobs claimed from it are settled, so that no user's jobs are ever out at two hosts at once.
#include <chrono>
#include <set>
#include <thread>

#include "host/store/partition_leases.h"
#include "host/store/postgres_schema.h"
#include "tests/store/store_fixture.h"
#include "tests/support/test_postgres.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
const std::string kDest = "acme/iterable";
// Short leases keep the test short: a heartbeat every 100 ms.
constexpr std::chrono::milliseconds kLease(800);

class PartitionLeasesTest : public ::testing::Test {
   protected:
    void SetUp() override { SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database); }

    std::unique_ptr<Store> open_host(const TempDataDir &dir) {
        PostgresStoreOptions options;
        options.url = database->url();
        options.data_dir = dir.path();
        options.lease_timeout = kLease;
        return open_postgres_store(options);
    }

    // Waits (a few lease timeouts at most) until `done` holds.
    template <typename Condition>
    static bool eventually(Condition done) {
        const auto deadline = std::chrono::steady_clock::now() + 8 * kLease;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return true;
    }

    static size_t held_by(Store &store) { return store.partition_share().value_or(Store::PartitionShare{}).held; }

    static std::vector<Job> claim(Store &store, size_t limit = 1000) { return store.claim(kDest, limit, kNow, nobody_busy); }

    // A user whose partition is among the highest (those a host hands over first) or the lowest.
    static std::string user_in_upper_half(bool upper) {
        for (int i = 0;; ++i) {
            const std::string user = "user-" + std::to_string(i);
            if ((user_partition(user) >= pg::kPartitions / 2) == upper) return user;
        }
    }

    std::unique_ptr<TestDatabase> database;
    TempDataDir first_dir, second_dir;
};

TEST_F(PartitionLeasesTest, UsersArePartitionedTheSameWayEverywhere) {
    EXPECT_EQ(user_partition("user-1"), user_partition(std::string("user-") + "1"));
    std::set<int> seen;
    for (int i = 0; i < 1000; ++i) {
        const int partition = user_partition("u" + std::to_string(i));
        ASSERT_GE(partition, 0);
        ASSERT_LT(partition, pg::kPartitions);
        seen.insert(partition);
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(pg::kPartitions)) << "1000 users reach every partition";
}

TEST_F(PartitionLeasesTest, TwoHostsShareThePartitionsAndEachClaimsOnlyItsOwnUsers) {
    auto first = open_host(first_dir);
    EXPECT_EQ(held_by(*first), static_cast<size_t>(pg::kPartitions)) << "alone, it takes all at once";
    auto second = open_host(second_dir);
    ASSERT_TRUE(eventually([&] { return held_by(*first) == 32u && held_by(*second) == 32u; }))
        << held_by(*first) << " and " << held_by(*second);

    std::vector<IncomingEvent> events;
    for (int i = 0; i < 200; ++i) events.push_back(event("u" + std::to_string(i), std::to_string(i)));
    first->append(events, kNow);
    const std::vector<Job> by_first = claim(*first), by_second = claim(*second);
    EXPECT_EQ(by_first.size() + by_second.size(), 200u);
    EXPECT_FALSE(by_first.empty());
    EXPECT_FALSE(by_second.empty());
    std::set<std::string> users_of_first;
    for (const Job &job : by_first) users_of_first.insert(job.user_key);
    for (const Job &job : by_second) EXPECT_EQ(users_of_first.count(job.user_key), 0u) << job.user_key << " at both hosts";
}

TEST_F(PartitionLeasesTest, AHostThatLeavesHandsItsShareAndItsCoordinationOverAtOnce) {
    auto first = open_host(first_dir);
    auto second = open_host(second_dir);
    ASSERT_TRUE(eventually([&] { return held_by(*second) == 32u; }));
    EXPECT_TRUE(first->coordinates()) << "the first host kept the first partition";
    EXPECT_FALSE(second->coordinates()) << "one host carries regulations out, not each";
    first.reset();  // a clean shutdown frees its leases: no waiting for them to expire
    const auto left = std::chrono::steady_clock::now();
    ASSERT_TRUE(eventually([&] { return held_by(*second) == static_cast<size_t>(pg::kPartitions); }));
    EXPECT_LT(std::chrono::steady_clock::now() - left, kLease) << "taken before a lease could have expired";
    EXPECT_TRUE(second->coordinates());
}

// The first host has a job of the user out in a plugin call when the second joins: the user's
// partition goes over only once that job is settled, and the user's next job is claimed by the
// new owner after that, never while the first one is still out.
TEST_F(PartitionLeasesTest, APartitionChangesHandsOnlyOnceItsJobsInFlightAreSettled) {
    const std::string user = user_in_upper_half(true);  // handed over when a second host joins
    auto first = open_host(first_dir);
    first->append(std::vector{event(user, "first"), event(user, "second")}, kNow);
    const std::vector<Job> out = first->claim(kDest, 1, kNow, nobody_busy);
    ASSERT_EQ(payloads(out), std::vector<std::string>{"first"});

    auto second = open_host(second_dir);
    ASSERT_TRUE(eventually([&] { return held_by(*second) == 31u; }))
        << "all but the one with a job in flight; holding " << held_by(*second);
    std::this_thread::sleep_for(2 * kLease);  // several heartbeats: still not handed over
    EXPECT_EQ(held_by(*second), 31u);
    EXPECT_TRUE(claim(*second).empty()) << "the user's second job waits for the first";
    EXPECT_TRUE(claim(*first).empty()) << "a draining partition is claimed from no more";

    const JobSettlement delivered{out[0].id, Settlement::delivered, 0, {}};
    first->settle(std::span(&delivered, 1), kNow);
    ASSERT_TRUE(eventually([&] { return held_by(*second) == 32u; }));
    EXPECT_EQ(payloads(claim(*second)), std::vector<std::string>{"second"});
}

// A wake-up lost (a reconnect, a pooler without LISTEN) must not leave jobs asleep: the router
// looks at the queues whenever data_version moves, and it moves every heartbeat.
TEST_F(PartitionLeasesTest, DataVersionMovesEveryHeartbeatWithoutAnyCommit) {
    auto host = open_host(first_dir);
    const uint64_t before = host->data_version();
    EXPECT_TRUE(eventually([&] { return host->data_version() >= before + 3; }));
}

// A host whose leases could not be renewed in time (cut off from the database) must claim
// nothing: another host may already have taken its users.
TEST_F(PartitionLeasesTest, AHostWhoseLeasesLapsedClaimsNothingUntilItRenewsThem) {
    auto first = open_host(first_dir);
    first->append(std::vector{event(user_in_upper_half(false), "a")}, kNow);
    // Renewals wait on the leases' table, locked, past the lease.
    std::thread holder([&] {
        database->query("BEGIN; LOCK TABLE partition_leases IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2); COMMIT;");
    });
    std::this_thread::sleep_for(kLease + std::chrono::milliseconds(300));
    const bool claimed_while_lapsed = !claim(*first).empty();
    holder.join();
    EXPECT_FALSE(claimed_while_lapsed);
    EXPECT_TRUE(eventually([&] { return !claim(*first).empty(); })) << "renewed once the table was free";
}

}  // namespace
}  // namespace switchyard::testing
