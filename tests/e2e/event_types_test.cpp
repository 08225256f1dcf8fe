// Every event type, sent to the host's ingestion API, arrives at the mock Iterable as the
// reference destination maps it (or is dead-lettered with the plugin's reason).
#include <set>

#include "host/store/store.h"
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

class EventTypes : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(), "      trackAllPages: true\n      mapToSingleEvent: false\n")));
    }
    MockIterable mock_{MockOptions{}};
};

TEST_F(EventTypes, EachTypeReachesTheMockState) {
    ASSERT_EQ(post("identify", {{"userId", "u1"}, {"traits", {{"email", "u1@example.com"}, {"plan", "pro"}}}}), 200);
    ASSERT_EQ(post("track", track("u1", 1, "Clicked")), 200);
    ASSERT_EQ(post("page", {{"userId", "u1"}, {"name", "Pricing"}, {"properties", {{"seq", 2}}}}), 200);
    ASSERT_EQ(post("screen", {{"userId", "u1"}, {"name", "Home"}, {"properties", {{"seq", 3}}}}), 200);
    const json product = {{"product_id", "p1"}, {"name", "Shoe"}, {"price", 10}, {"quantity", 2}};
    ASSERT_EQ(post("track", {{"userId", "u1"},
                             {"event", "Order Completed"},
                             {"properties", {{"order_id", "o1"}, {"total", 20}, {"products", json::array({product})}}}}),
              200);
    ASSERT_EQ(post("track", {{"userId", "u2"}, {"event", "Product Added"}, {"properties", product}}), 200);
    ASSERT_TRUE(eventually([&] {
        const json state = mock_.state();
        return state["events"].size() == 3 && state["purchases"].size() == 1 && state["carts"].contains("u2");
    })) << mock_.state().dump(2) << host_->log();
    // Only then the alias: keyed by its new userId, it is not ordered after u1's earlier events.
    ASSERT_EQ(post("alias", {{"userId", "u1-new@example.com"}, {"previousId", "u1@example.com"}}), 200);
    ASSERT_TRUE(eventually([&] { return mock_.state()["email_updates"].size() == 1; }))
        << mock_.state().dump(2) << host_->log();
    const json state = mock_.state();
    // The alias moved the user to the new email, traits and all.
    EXPECT_EQ(state.value("/users/u1-new@example.com/dataFields/plan"_json_pointer, ""), "pro") << state.dump(2);
    EXPECT_FALSE(state["users"].contains("u1@example.com"));
    std::set<std::string> names;
    for (const json &event : state["events"]) names.insert(event["eventName"].get<std::string>());
    EXPECT_EQ(names, (std::set<std::string>{"Clicked", "Pricing page", "Home screen"}));
    ASSERT_EQ(state["purchases"].size(), 1u);
    EXPECT_EQ(state["purchases"][0]["id"], "o1");
    EXPECT_EQ(state["purchases"][0]["items"][0]["id"], "p1");
    EXPECT_EQ(state["carts"]["u2"][0]["name"], "Shoe");
    EXPECT_EQ(state["email_updates"][0], (json{{"currentEmail", "u1@example.com"}, {"newEmail", "u1-new@example.com"}}));
}

TEST_F(EventTypes, ABatchDeliversEveryItem) {
    json batch = {{"batch", json::array()}};
    for (int seq = 0; seq < 30; ++seq) batch["batch"].push_back(track("u" + std::to_string(seq % 3), seq));
    ASSERT_EQ(post("batch", batch), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 30; })) << host_->log();
    for (const std::string user : {"u0", "u1", "u2"}) {
        const std::vector<int> seqs = recorded_seqs(mock_, user);
        EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << user;
    }
}

// The host corrects the client's clock: 10 s between the event and its sending means the
// event happened 10 s before the host received it, whatever the client's clock said.
TEST_F(EventTypes, ClockSkewIsCorrectedIntoTheTimestamp) {
    const auto now_ms = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    json event = track("u1", 1);
    event["originalTimestamp"] = "2001-01-01T00:00:00.000Z";
    event["sentAt"] = "2001-01-01T00:00:10.000Z";
    const int64_t before = now_ms();
    ASSERT_EQ(post("track", event), 200);
    const int64_t after = now_ms();
    ASSERT_TRUE(eventually([&] { return mock_.state()["events"].size() == 1; })) << host_->log();
    const int64_t created_at = mock_.state()["events"][0]["createdAt"].get<int64_t>();
    EXPECT_GE(created_at, before - 10'000);
    EXPECT_LE(created_at, after - 10'000);
}

// Iterable declares no group: the host skips the call before transform, neither delivered nor
// dead-lettered, and counts it.
TEST_F(EventTypes, AGroupCallIsSkippedAndCountedAsFiltered) {
    ASSERT_EQ(post("group", {{"userId", "u1"}, {"groupId", "g1"}}), 200);
    ASSERT_EQ(post("track", track("u1", 1)), 200);  // the user's next event is not held up by it
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 1; })) << host_->log();
    ASSERT_TRUE(eventually([&] {
        return get("/metrics").find("switchyard_events_filtered_total{destination=\"e2e/iterable\",reason=\"message_type\"} 1\n") !=
               std::string::npos;
    })) << get("/metrics");
    EXPECT_EQ(get("/metrics").find("switchyard_events_dead_lettered_total{"), std::string::npos);
    ASSERT_EQ(host_->terminate(), 0);
    EXPECT_TRUE(open_sqlite_store(data_dir())->dead_letters("", 10).empty());
}

TEST_F(EventTypes, RefusedRequestsStoreNothing) {
    EXPECT_EQ(post("track", track("u1", 1), "not-the-key"), 401);
    EXPECT_EQ(post("track", {{"event", "No user"}}), 400);
    EXPECT_EQ(post("batch", {{"batch", {track("u1", 2), json{{"type", "track"}, {"event", "x"}}}}}), 400);
    ASSERT_EQ(post("track", track("u1", 3)), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 1; })) << host_->log();
    EXPECT_EQ(recorded_seqs(mock_), std::vector<int>{3});
    EXPECT_EQ(host_->log().find(kWriteKey), std::string::npos) << "the write key was logged";
}

}  // namespace
}  // namespace switchyard::testing
