// The shared store suite: every test of it runs on each store (SQLite and PostgreSQL) through the
// Store interface, with a fresh store per test that it can close and reopen.
#pragma once

#include <string>
#include <vector>

#include "tests/store/store_backend.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {

constexpr int64_t kNow = 1'700'000'000'000;

class StoreSuite : public ::testing::TestWithParam<std::string> {
   protected:
    void SetUp() override {
        if (GetParam() == "postgresql") {
            SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database_);
            backend_ = postgres_backend(*database_, dir_.path());
        } else {
            backend_ = sqlite_backend(dir_.path());
        }
        store = backend_->open();
    }
    void TearDown() override { store.reset(); }  // before its database is dropped
    // Drops the store (a crash, as far as the crash journal knows) and opens it again.
    void reopen() {
        store.reset();
        store = backend_->open();
    }
    std::unique_ptr<Store> open_for_command() { return backend_->open_for_command(); }
    int64_t count_rows(const std::string &table_and_where) { return backend_->count_rows(table_and_where); }

    std::vector<Job> claim(const std::string &destination, size_t limit = 100, int64_t now = kNow) {
        return store->claim(destination, limit, now, nobody_busy);
    }
    void deliver(const std::vector<Job> &jobs, int64_t now = kNow) {
        std::vector<JobSettlement> settlements;
        for (const Job &job : jobs) settlements.push_back({job.id, Settlement::delivered, 0, {}});
        store->settle(settlements, now);
    }
    void bury(const Job &job, const std::string &reason, int64_t now = kNow) {
        const JobSettlement dead{job.id, Settlement::dead, 0, reason};
        store->settle(std::span(&dead, 1), now);
    }
    void retry(const Job &job, int64_t next_attempt_ms, const std::string &reason = "status 503", int64_t now = kNow) {
        const JobSettlement settlement{job.id, Settlement::retry, next_attempt_ms, reason};
        store->settle(std::span(&settlement, 1), now);
    }
    // The kept queue depth of `destination`; 0 when queue_stats does not list it.
    int64_t depth_of(const std::string &destination) {
        for (const QueueStats &q : store->queue_stats())
            if (q.destination == destination) return static_cast<int64_t>(q.depth);
        return 0;
    }
    // The kept count must always be what counting the jobs says.
    void expect_depth_counted(const std::string &destination) {
        EXPECT_EQ(depth_of(destination), count_rows("jobs WHERE destination = '" + destination + "'")) << destination;
    }

    std::unique_ptr<Store> store;

   private:
    TempDataDir dir_;
    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<StoreBackend> backend_;
};

inline std::string store_name(const ::testing::TestParamInfo<std::string> &info) { return info.param; }

}  // namespace switchyard::testing

// Runs every TEST_P of `suite` (a StoreSuite) on each store.
#define SWITCHYARD_ON_EVERY_STORE(suite)                                                       \
    INSTANTIATE_TEST_SUITE_P(EveryStore, suite,                                                \
                             ::testing::Values(std::string("sqlite"), std::string("postgresql")), \
                             ::switchyard::testing::store_name)
