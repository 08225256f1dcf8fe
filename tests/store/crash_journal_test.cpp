// Every store's crash journal across a reopen: entries a crash left behind give their jobs
// strikes, a suspect is claimed alone and one at a time host-wide, the second strike dead-letters.
#include "tests/store/store_suite.h"

namespace switchyard::testing {
namespace {

const std::string kChaos = "acme/chaos";
const std::string kIterable = "acme/iterable";
constexpr std::string_view kCrashedTwice =
    "plugin crashed the host twice while this event was in flight (in-process; consider isolation: process)";

class StoreCrashJournal : public StoreSuite {
   protected:
    // Claims `destination`'s jobs and leaves them in a plugin call that a crash cuts: the store
    // is closed with the entry still there, then reopened and the crash blamed.
    std::vector<CrashSuspects> crash_during_call(const std::string &destination, size_t limit = 100) {
        std::vector<int64_t> ids;
        for (const Job &job : claim(destination, limit)) ids.push_back(job.id);
        store->begin_plugin_call(destination, ids);
        return restart();
    }
    std::vector<CrashSuspects> restart() {
        reopen();
        return store->blame_crashed_plugin_calls(kNow);
    }
};
SWITCHYARD_ON_EVERY_STORE(StoreCrashJournal);

TEST_P(StoreCrashJournal, AnEndedCallLeavesNothingToBlame) {
    store->append(std::vector{event("u1", "a", {kChaos}), event("u2", "b", {kChaos})}, kNow);
    const std::vector<Job> jobs = claim(kChaos);
    ASSERT_EQ(jobs.size(), 2u);
    store->end_plugin_call(store->begin_plugin_call(kChaos, std::vector<int64_t>{jobs[0].id, jobs[1].id}));
    EXPECT_TRUE(restart().empty());
    EXPECT_EQ(payloads(claim(kChaos)), (std::vector<std::string>{"a", "b"}));  // together: no suspect
}

TEST_P(StoreCrashJournal, JobsInACallCutByACrashAreSuspectsDeliveredAlone) {
    store->append(std::vector{event("u1", "a", {kChaos}), event("u2", "b", {kChaos}), event("u3", "c", {kChaos})}, kNow);
    const std::vector<CrashSuspects> blamed = crash_during_call(kChaos, 2);
    ASSERT_EQ(blamed.size(), 1u);
    EXPECT_EQ(blamed[0].destination, kChaos);
    EXPECT_EQ(blamed[0].suspects, 2u);
    EXPECT_EQ(blamed[0].dead_lettered, 0u);

    const std::vector<Job> first = claim(kChaos);
    EXPECT_EQ(payloads(first), std::vector<std::string>{"a"});
    const std::vector<Job> innocent = claim(kChaos);  // "b" waits for "a" to settle; the rest goes on
    EXPECT_EQ(payloads(innocent), std::vector<std::string>{"c"});
    deliver(innocent);
    deliver(first);
    EXPECT_EQ(payloads(claim(kChaos)), std::vector<std::string>{"b"});
    EXPECT_TRUE(store->blame_crashed_plugin_calls(kNow).empty());  // the journal was cleared
}

TEST_P(StoreCrashJournal, OnlyOneSuspectOfAnyDestinationIsInFlightAtATime) {
    store->append(std::vector{event("u1", "a", {kChaos, kIterable})}, kNow);
    std::vector<int64_t> ids;
    for (const Job &job : claim(kChaos)) ids.push_back(job.id);
    for (const Job &job : claim(kIterable)) ids.push_back(job.id);
    ASSERT_EQ(ids.size(), 2u);
    store->begin_plugin_call(kChaos, ids);
    EXPECT_EQ(restart().size(), 2u);

    const std::vector<Job> chaos = claim(kChaos);
    ASSERT_EQ(chaos.size(), 1u);
    EXPECT_TRUE(claim(kIterable).empty());
    retry(chaos[0], kNow + 60'000, "503");
    EXPECT_EQ(claim(kIterable).size(), 1u);
}

TEST_P(StoreCrashJournal, ASecondCrashDeadLettersTheSuspectWithTheReason) {
    store->append(std::vector{event("u1", "boom", {kChaos}), event("u2", "fine", {kChaos})}, kNow);
    crash_during_call(kChaos);
    const std::vector<CrashSuspects> blamed = crash_during_call(kChaos);  // "boom", claimed alone
    ASSERT_EQ(blamed.size(), 1u);
    EXPECT_EQ(blamed[0].suspects, 0u);
    EXPECT_EQ(blamed[0].dead_lettered, 1u);

    const std::vector<DeadLetter> letters = store->dead_letters(kChaos, 10);
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].payload, "boom");
    EXPECT_EQ(letters[0].reason, kCrashedTwice);
    EXPECT_EQ(store->dead_letter_counts().at(kChaos), 1u);
    EXPECT_EQ(store->queue_stats().at(0).depth, 1u);
    expect_depth_counted(kChaos);
    EXPECT_EQ(payloads(claim(kChaos)), std::vector<std::string>{"fine"});  // still a suspect: alone
}

TEST_P(StoreCrashJournal, AJobSettledBeforeTheCrashGetsNoStrike) {
    store->append(std::vector{event("u1", "a", {kChaos}), event("u2", "b", {kChaos})}, kNow);
    const std::vector<Job> jobs = claim(kChaos);
    ASSERT_EQ(jobs.size(), 2u);
    store->begin_plugin_call(kChaos, std::vector<int64_t>{jobs[0].id, jobs[1].id});
    deliver({jobs[0]});
    const std::vector<CrashSuspects> blamed = restart();
    ASSERT_EQ(blamed.size(), 1u);
    EXPECT_EQ(blamed[0].suspects, 1u);
    EXPECT_EQ(payloads(claim(kChaos)), std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace switchyard::testing
