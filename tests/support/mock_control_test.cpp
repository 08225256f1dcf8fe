// The mock's less common paths over real loopback HTTP: gzip bodies, deletion, canned headers,
// the /_mock/ control endpoints and reset.
#include <httplib.h>

#include <gtest/gtest.h>

#include "mock_iterable.h"

namespace switchyard::testing {
namespace {

using json = nlohmann::json;

class MockIterableControlTest : public ::testing::Test {
   protected:
    void SetUp() override {
        client_ = std::make_unique<httplib::Client>("127.0.0.1", mock_.start());
        client_->set_tcp_nodelay(true);  // else Nagle holds each body for a delayed ACK (~40 ms)
    }
    httplib::Result post(const std::string &path, const std::string &body, const std::string &key = "test-api-key") {
        httplib::Headers headers;
        if (!key.empty()) headers.emplace("api_key", key);  // Iterable's other spelling of the header
        return client_->Post(path.c_str(), headers, body, "application/json");
    }
    MockIterable mock_{MockOptions{.api_keys = {"test-api-key", "second-key"}, .disallowed_events = {"banned"}}};
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(MockIterableControlTest, AcceptsGzipBodiesAndEitherKey) {
    client_->set_compress(true);  // Content-Encoding: gzip
    auto r = post("/api/users/update", R"({"userId":"u1","dataFields":{"zipped":true}})", "second-key");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(mock_.state()["users"]["u1"]["dataFields"]["zipped"], true);
}

TEST_F(MockIterableControlTest, TrackBulkFailsDisallowedEventNames) {
    auto r = post("/api/events/trackBulk", R"({"events":[{"userId":"u","eventName":"ok"},{"userId":"u","eventName":"banned"}]})");
    ASSERT_EQ(r->status, 200);
    const json answer = json::parse(r->body);
    EXPECT_EQ(answer["successCount"], 1);
    EXPECT_EQ(answer["failCount"], 1);
    EXPECT_EQ(answer["disallowedEventNames"], json::array({"banned"}));
    EXPECT_EQ(mock_.state()["events"].size(), 1u);
}

TEST_F(MockIterableControlTest, DeleteByUserIdForgetsTheUser) {
    ASSERT_EQ(post("/api/users/update", R"({"userId":"u1"})")->status, 200);
    EXPECT_EQ(client_->Delete("/api/users/byUserId/u1", {{"Api-Key", "nope"}})->status, 401);
    auto r = client_->Delete("/api/users/byUserId/u1", {{"Api-Key", "test-api-key"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(json::parse(r->body)["code"], "Success");
    EXPECT_TRUE(mock_.state()["users"].empty());
}

TEST_F(MockIterableControlTest, UpdateEmailByUserIdAndCatalogItems) {
    ASSERT_EQ(post("/api/users/update", R"({"userId":"u1","dataFields":{"a":1}})")->status, 200);
    ASSERT_EQ(post("/api/users/updateEmail", R"({"currentUserId":"u1","newEmail":"n@x.io"})")->status, 200);
    EXPECT_EQ(post("/api/users/updateEmail", R"({"newEmail":"n@x.io"})")->status, 400);  // whose email?
    EXPECT_EQ(post("/api/users/updateEmail", R"({"currentEmail":1,"newEmail":"n@x.io"})")->status, 400);
    ASSERT_EQ(post("/api/catalogs/shoes/items", R"({"documents":{"s1":{"size":42}}})")->status, 200);
    EXPECT_EQ(post("/api/catalogs/shoes/items", R"({"documents":[]})")->status, 400);
    ASSERT_EQ(post("/api/catalogs/a%2Fb/items", R"({"documents":{"x":{}}})")->status, 200);  // encoded name
    const json state = mock_.state();
    EXPECT_EQ(state["users"]["n@x.io"]["userId"], "u1");
    EXPECT_EQ(state["users"]["n@x.io"]["dataFields"]["a"], 1);
    EXPECT_EQ(state["catalogs"]["shoes"]["s1"]["size"], 42);
    EXPECT_TRUE(state["catalogs"].contains("a/b"));
}

TEST_F(MockIterableControlTest, ControlEndpointsDriveFaultsCannedAnswersStatsAndReset) {
    ASSERT_EQ(client_->Post("/_mock/faults", R"({"throttle_next":2})", "application/json")->status, 200);
    EXPECT_EQ(client_->Post("/_mock/faults", R"({"stall_ms":"long"})", "application/json")->status, 400);
    auto throttled = post("/api/events/track", R"({"eventName":"e","userId":"u"})");
    EXPECT_EQ(throttled->status, 429);
    EXPECT_EQ(throttled->get_header_value("Retry-After"), "1");
    EXPECT_EQ(post("/api/events/track", R"({"eventName":"e","userId":"u"})")->status, 429);
    const json canned = {{"path", "/api/events/track"}, {"status", 400}, {"body", {{"code", "InvalidEmailAddressError"}}},
                         {"headers", {{"X-Replayed", "yes"}}}};
    ASSERT_EQ(client_->Post("/_mock/next-response", canned.dump(), "application/json")->status, 200);
    auto r = post("/api/events/track", R"({"eventName":"e","userId":"u"})");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->get_header_value("X-Replayed"), "yes");
    EXPECT_EQ(json::parse(r->body)["code"], "InvalidEmailAddressError");
    EXPECT_EQ(post("/api/events/track", R"({"eventName":"e","userId":"u"})")->status, 200);
    const json stats = json::parse(client_->Get("/_mock/stats")->body);
    EXPECT_EQ(stats["requests"], 4);
    EXPECT_EQ(stats["by_status"]["429"], 2);
    EXPECT_EQ(stats["by_path"]["events/track"], 4);
    EXPECT_EQ(json::parse(client_->Get("/_mock/state")->body)["events"].size(), 1u);
    ASSERT_EQ(client_->Post("/_mock/reset", "", "application/json")->status, 200);
    EXPECT_EQ(mock_.stats().requests, 0u);
    EXPECT_EQ(mock_.stats().connections, 0u);
    EXPECT_TRUE(mock_.state()["events"].empty());
}

}  // namespace
}  // namespace switchyard::testing
