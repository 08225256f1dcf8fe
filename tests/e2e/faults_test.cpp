// Mock faults (503s, cut connections, 429s, refused events, an outage longer than the retry
// window): every event ends delivered or dead-lettered with a reason; each user's order holds.
#include <optional>
#include <regex>
#include <set>

#include "host/store/store.h"
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

class FaultyMock : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    // Small batches make many requests, so the random faults surely hit some.
    void start_host_with_retry_window(const std::string &retry_window, int batch_size = 10) {
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(), "",
                                                                     fast_retries(retry_window, batch_size))));
    }

    // True once /metrics shows no job waiting.
    bool queue_empty() {
        static const std::regex waiting(R"(switchyard_queue_depth\{[^}]*\} [1-9])");
        const std::string metrics = get("/metrics");
        return !metrics.empty() && !std::regex_search(metrics, waiting);
    }

    void post_batches(int count, const std::function<std::string(int)> &event_name) {
        for (int seq = 0; seq < count; seq += 10) {
            nlohmann::json batch = {{"batch", nlohmann::json::array()}};
            for (int s = seq; s < std::min(seq + 10, count); ++s)
                batch["batch"].push_back(track("u" + std::to_string(s % 5), s, event_name(s)));
            ASSERT_EQ(post("batch", batch), 200);
        }
    }

    std::map<int, std::string> dead_letter_reasons() {
        std::map<int, std::string> reasons;
        for (const DeadLetter &d : open_sqlite_store(data_dir())->dead_letters("", 100'000))
            reasons[nlohmann::json::parse(d.payload)["properties"]["seq"].get<int>()] = d.reason;
        return reasons;
    }

    std::string dead_lettered_metric(size_t count) {
        return "switchyard_events_dead_lettered_total{destination=\"e2e/iterable\"} " + std::to_string(count) + "\n";
    }

    MockIterable mock_{MockOptions{{kApiKey}, true, {"Forbidden"}}};
};

std::string loaded_or_forbidden(int seq) { return seq % 10 == 7 ? "Forbidden" : "Loaded"; }

// Transient faults end in delivery (each event exactly once: the mock records only what it
// answers 200); events the API refuses are dead-lettered with its answer.
TEST_F(FaultyMock, EveryEventIsDeliveredOrDeadLetteredWithAReason) {
    start_host_with_retry_window("10m");
    mock_.set_faults({.error_rate = 0.3, .drop_rate = 0.1, .throttle_next = 2});
    post_batches(300, loaded_or_forbidden);
    ASSERT_TRUE(eventually([&] { return queue_empty(); }, std::chrono::seconds(60))) << host_->log();
    const std::string metrics = get("/metrics");
    ASSERT_EQ(host_->terminate(), 0);

    const std::vector<int> seqs = recorded_seqs(mock_);
    const std::multiset<int> delivered(seqs.begin(), seqs.end());
    const std::map<int, std::string> dead = dead_letter_reasons();
    for (int seq = 0; seq < 300; ++seq) {
        SCOPED_TRACE("seq " + std::to_string(seq));
        const bool refused = loaded_or_forbidden(seq) == "Forbidden";
        EXPECT_EQ(delivered.count(seq), refused ? 0u : 1u);
        EXPECT_EQ(dead.count(seq), refused ? 1u : 0u);
        if (refused && dead.count(seq)) {
            EXPECT_NE(dead.at(seq).find("Forbidden"), std::string::npos) << dead.at(seq);
        }
    }
    EXPECT_GT(mock_.stats().by_status[503], 0u) << "no fault was injected";
    EXPECT_NE(metrics.find(dead_lettered_metric(dead.size())), std::string::npos) << metrics;
    EXPECT_EQ(host_->log().find(kApiKey), std::string::npos) << "the API key was logged";
}

TEST_F(FaultyMock, AnOutageLongerThanTheRetryWindowDeadLettersWithTheLastStatus) {
    start_host_with_retry_window("2s");
    mock_.set_faults({.error_rate = 1.0});
    post_batches(20, [](int) { return "Loaded"; });
    ASSERT_TRUE(eventually([&] { return queue_empty(); }, std::chrono::seconds(30))) << host_->log();
    const std::string metrics = get("/metrics");
    ASSERT_EQ(host_->terminate(), 0);

    EXPECT_TRUE(recorded_seqs(mock_).empty());
    const std::map<int, std::string> dead = dead_letter_reasons();
    EXPECT_EQ(dead.size(), 20u);
    for (const auto &[seq, reason] : dead) {
        EXPECT_NE(reason.find("gave up after the retry window of 2 s"), std::string::npos) << reason;
        EXPECT_NE(reason.find("status 503"), std::string::npos) << reason;
    }
    EXPECT_NE(metrics.find(dead_lettered_metric(20)), std::string::npos) << metrics;
}

TEST_F(FaultyMock, EachUsersOrderHoldsThroughRetries) {
    start_host_with_retry_window("10m", 25);
    // Canned 503s make sure some batches are retried whatever the random faults do.
    for (int i = 0; i < 3; ++i) mock_.queue_response("/api/events/trackBulk", 503, R"({"msg":"down"})");
    mock_.set_faults({.error_rate = 0.3, .throttle_next = 3});
    for (int seq = 0; seq < 500; ++seq) ASSERT_EQ(post("track", track("u" + std::to_string(seq % 5), seq)), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() >= 500; }, std::chrono::seconds(60))) << host_->log();
    for (int user = 0; user < 5; ++user) {
        const std::vector<int> seqs = recorded_seqs(mock_, "u" + std::to_string(user));
        EXPECT_EQ(seqs.size(), 100u);
        EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << "u" << user;
    }
    EXPECT_GE(mock_.stats().by_status[503], 3u);
}

// The first users/bulkUpdate fails: only A's identify is attempted and retried. A's later track
// waits for it without an attempt (held back, not retried), B's and C's tracks are delivered on
// their first attempt, and A's track reaches the mock after A's identify.
TEST_F(FaultyMock, AFailedRequestHoldsBackOnlyItsUsersLaterEventsWithoutAnAttempt) {
    start_host_with_retry_window("10m");
    mock_.queue_response("/api/users/bulkUpdate", 503, R"({"msg":"down"})");
    const nlohmann::json identify = {{"type", "identify"}, {"userId", "A"}, {"traits", {{"plan", "pro"}}}};
    const nlohmann::json batch = {{"batch", {identify, track("B", 1), track("A", 2), track("C", 3)}}};
    ASSERT_EQ(post("batch", batch), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() >= 3 && queue_empty(); })) << host_->log();
    const std::string metrics = get("/metrics");
    ASSERT_EQ(host_->terminate(), 0);

    EXPECT_EQ(mock_.stats().by_status[503], 1u);
    EXPECT_NE(metrics.find("switchyard_events_retried_total{destination=\"e2e/iterable\"} 1\n"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("switchyard_events_delivered_total{destination=\"e2e/iterable\"} 4\n"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("switchyard_events_held_back_total{destination=\"e2e/iterable\"}"), std::string::npos)
        << metrics;
    EXPECT_TRUE(dead_letter_reasons().empty());
    std::vector<int> seqs = recorded_seqs(mock_);
    std::ranges::sort(seqs);
    EXPECT_EQ(seqs, (std::vector<int>{1, 2, 3}));  // each once
    // Where A's identify and A's track landed among the requests the mock accepted.
    std::optional<size_t> identified, tracked;
    const nlohmann::json requests = mock_.state()["requests"];
    for (size_t i = 0; i < requests.size(); ++i) {
        const nlohmann::json &body = requests[i]["body"];
        for (const auto &user : body.value("users", nlohmann::json::array()))
            if (user.value("userId", "") == "A") identified = i;
        for (const auto &event : body.value("events", nlohmann::json::array()))
            if (event.value("userId", "") == "A") tracked = i;
    }
    ASSERT_TRUE(identified && tracked) << requests.dump();
    EXPECT_LT(*identified, *tracked);
}

}  // namespace
}  // namespace switchyard::testing
