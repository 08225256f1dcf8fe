// Every store's purge of dead letters: by id, all, or older than a time, per destination; the
// count of dead letters per destination follows, and no pending job is touched.
#include "tests/store/store_suite.h"

namespace switchyard::testing {
namespace {

const std::string kIterable = "acme/iterable";
const std::string kAmplitude = "acme/amplitude";

class StorePurge : public StoreSuite {
   protected:
    // Two dead letters per destination (failed at kNow + 1000 and kNow + 2000), and one job of
    // each destination still pending.
    void SetUp() override {
        StoreSuite::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        for (int n = 0; n < 3; ++n)
            store->append(std::vector{event("u" + std::to_string(n), "{\"n\":" + std::to_string(n) + "}",
                                             {kIterable, kAmplitude})},
                          kNow);
        for (const std::string &destination : {kIterable, kAmplitude}) {
            const std::vector<Job> jobs = claim(destination, 2);
            ASSERT_EQ(jobs.size(), 2u);
            for (size_t i = 0; i < jobs.size(); ++i) bury(jobs[i], "refused", kNow + 1000 * static_cast<int64_t>(i + 1));
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
        expect_depth_counted(kIterable);
        expect_depth_counted(kAmplitude);
    }
    // The kept counts must always be what counting the dead letters says.
    void expect_letters_counted() {
        const std::map<std::string, uint64_t> counts = store->dead_letter_counts();
        for (const std::string &destination : {kIterable, kAmplitude}) {
            const auto kept = counts.contains(destination) ? static_cast<int64_t>(counts.at(destination)) : 0;
            EXPECT_EQ(kept, count_rows("dead_letters WHERE destination = '" + destination + "'")) << destination;
        }
    }
};
SWITCHYARD_ON_EVERY_STORE(StorePurge);

TEST_P(StorePurge, CountsDeadLettersPerDestination) {
    const std::map<std::string, uint64_t> expected = {{kAmplitude, 2}, {kIterable, 2}};
    EXPECT_EQ(store->dead_letter_counts(), expected);
    expect_letters_counted();
}

TEST_P(StorePurge, ByIdDeletesOnlyThoseAndReturnsTheCount) {
    const std::vector<int64_t> iterable = ids_of(kIterable);
    ASSERT_EQ(iterable.size(), 2u);
    EXPECT_EQ(store->purge({"", {iterable[0], 999}, std::nullopt}), 1u);
    EXPECT_EQ(ids_of(kIterable), std::vector<int64_t>{iterable[1]});
    EXPECT_EQ(ids_of(kAmplitude).size(), 2u);
    const std::map<std::string, uint64_t> expected = {{kAmplitude, 2}, {kIterable, 1}};
    EXPECT_EQ(store->dead_letter_counts(), expected);
    expect_letters_counted();
    expect_pending_untouched();
}

TEST_P(StorePurge, ByIdOfAnotherDestinationDeletesNothing) {
    EXPECT_EQ(store->purge({kAmplitude, ids_of(kIterable), std::nullopt}), 0u);
    EXPECT_EQ(ids_of("").size(), 4u);
}

TEST_P(StorePurge, AllOfOneDestination) {
    EXPECT_EQ(store->purge({kIterable, {}, std::nullopt}), 2u);
    EXPECT_TRUE(ids_of(kIterable).empty());
    EXPECT_EQ(ids_of(kAmplitude).size(), 2u);
    const std::map<std::string, uint64_t> expected = {{kAmplitude, 2}};
    EXPECT_EQ(store->dead_letter_counts(), expected);
    expect_letters_counted();
    expect_pending_untouched();
}

TEST_P(StorePurge, AllOfEveryDestination) {
    EXPECT_EQ(store->purge({}), 4u);
    EXPECT_TRUE(ids_of("").empty());
    EXPECT_TRUE(store->dead_letter_counts().empty());
    expect_letters_counted();
    expect_pending_untouched();
}

TEST_P(StorePurge, OlderThanDeletesThoseThatFailedBefore) {
    EXPECT_EQ(store->purge({"", {}, kNow + 1500}), 2u);  // the ones failed at kNow + 1000
    for (const DeadLetter &letter : store->dead_letters("", 100)) EXPECT_EQ(letter.failed_ms, kNow + 2000);
    EXPECT_EQ(store->purge({kIterable, {}, kNow + 2001}), 1u);
    EXPECT_EQ(ids_of(kAmplitude).size(), 1u);
    expect_letters_counted();
    expect_pending_untouched();
}

TEST_P(StorePurge, ReplayLowersTheCountAndDeadLetteringRaisesIt) {
    EXPECT_EQ(store->replay(kIterable, {}, kNow), 2u);
    const std::map<std::string, uint64_t> after_replay = {{kAmplitude, 2}};
    EXPECT_EQ(store->dead_letter_counts(), after_replay);
    expect_letters_counted();
    bury(claim(kIterable, 1).at(0), "refused again");
    EXPECT_EQ(store->dead_letter_counts().at(kIterable), 1u);
    expect_letters_counted();
}

}  // namespace
}  // namespace switchyard::testing
