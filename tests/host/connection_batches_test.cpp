// Splitting a claimed batch by connection never lets a user's later event overtake an earlier one.
#include <gtest/gtest.h>

#include "host/router/connection_batches.h"

namespace switchyard {
namespace {

// Jobs in claim order, each "user/source".
std::vector<Job> jobs_of(const std::vector<std::pair<std::string, std::string>> &user_and_source) {
    std::vector<Job> jobs;
    for (const auto &[user, source] : user_and_source) {
        Job job;
        job.id = static_cast<int64_t>(jobs.size()) + 1;
        job.user_key = user;
        job.source = source;
        jobs.push_back(job);
    }
    return jobs;
}

const auto by_source = [](const Job &job) { return job.source; };

TEST(ConnectionBatches, OneConnectionIsOneBatchInClaimOrder) {
    const ConnectionSplit split = split_by_connection(jobs_of({{"u1", ""}, {"u2", ""}, {"u1", ""}}), by_source);
    ASSERT_EQ(split.batches.size(), 1u);
    EXPECT_EQ(split.batches[0].jobs, (std::vector<size_t>{0, 1, 2}));
    EXPECT_TRUE(split.deferred.empty());
}

TEST(ConnectionBatches, UsersOfDifferentConnectionsGoInTheirConnectionsBatch) {
    const ConnectionSplit split =
        split_by_connection(jobs_of({{"u1", "web"}, {"u2", "app"}, {"u1", "web"}, {"u3", "app"}}), by_source);
    ASSERT_EQ(split.batches.size(), 2u);
    EXPECT_EQ(split.batches[0].connection, "web");
    EXPECT_EQ(split.batches[0].jobs, (std::vector<size_t>{0, 2}));
    EXPECT_EQ(split.batches[1].connection, "app");
    EXPECT_EQ(split.batches[1].jobs, (std::vector<size_t>{1, 3}));
    EXPECT_TRUE(split.deferred.empty());
}

TEST(ConnectionBatches, AUsersJobsAfterAChangeOfConnectionWaitForTheNextRound) {
    // u1: web, app, web: sending the second "web" with the first would overtake the "app" one.
    const ConnectionSplit split =
        split_by_connection(jobs_of({{"u1", "web"}, {"u2", "web"}, {"u1", "app"}, {"u1", "web"}, {"u3", "app"}}), by_source);
    ASSERT_EQ(split.batches.size(), 2u);
    EXPECT_EQ(split.batches[0].jobs, (std::vector<size_t>{0, 1}));
    EXPECT_EQ(split.batches[1].jobs, (std::vector<size_t>{4}));
    EXPECT_EQ(split.deferred, (std::vector<size_t>{2, 3}));
}

TEST(ConnectionBatches, ABatchWithOnlyDeferredJobsIsNotSent) {
    const ConnectionSplit split = split_by_connection(jobs_of({{"u1", "web"}, {"u1", "app"}}), by_source);
    ASSERT_EQ(split.batches.size(), 1u);
    EXPECT_EQ(split.batches[0].connection, "web");
    EXPECT_EQ(split.deferred, (std::vector<size_t>{1}));
}

}  // namespace
}  // namespace switchyard
