// HungCalls: strikes per job (the third dead-letters), one job per batch while any has one, and
// the bound on threads stuck in one instance.
#include "host/router/hung_calls.h"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

std::vector<Job> jobs(std::initializer_list<int64_t> ids) {
    std::vector<Job> out;
    for (int64_t id : ids) {
        Job job;
        job.id = id;
        out.push_back(job);
    }
    return out;
}

TEST(HungCalls, AJobInThreeTimeoutsIsAborted) {
    HungCalls hung(4);
    EXPECT_FALSE(hung.one_at_a_time());
    EXPECT_EQ(hung.timed_out(jobs({1, 2}), "late")[0].outcome, SY_RETRY);
    EXPECT_TRUE(hung.one_at_a_time());
    const JobSettlement delivered{2, Settlement::delivered, 0, {}};
    hung.settled({&delivered, 1});  // job 2 was innocent
    EXPECT_EQ(hung.timed_out(jobs({1}), "late")[0].outcome, SY_RETRY);
    const std::vector<EventOutcome> third = hung.timed_out(jobs({1, 2}), "late");
    EXPECT_EQ(third[0].outcome, SY_ABORT);
    EXPECT_EQ(third[0].message, "late (3 times)");
    EXPECT_EQ(third[1].outcome, SY_RETRY);  // its first strike since it was delivered
}

TEST(HungCalls, AnInstanceIsFullAtTheMostStuckThreadsUntilOneReturns) {
    HungCalls hung(2);
    LiveDestination live;
    const Destination *instance = live.instance.get();
    hung.stuck(instance);
    EXPECT_FALSE(hung.full(live));
    hung.stuck(instance);
    EXPECT_TRUE(hung.full(live));
    hung.returned(instance);
    EXPECT_FALSE(hung.full(live));
    EXPECT_EQ(hung.stuck_in(instance), 1u);
}

}  // namespace
}  // namespace switchyard
