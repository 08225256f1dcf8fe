// The mock Iterable is strict like the real API: each rule over real loopback HTTP.
#include <httplib.h>

#include <gtest/gtest.h>

#include "mock_iterable.h"

namespace switchyard::testing {
namespace {

using json = nlohmann::json;

class MockIterableTest : public ::testing::Test {
   protected:
    void SetUp() override {
        client_ = std::make_unique<httplib::Client>("127.0.0.1", mock_.start());
        client_->set_tcp_nodelay(true);  // else Nagle holds each body for a delayed ACK (~40 ms)
    }
    httplib::Result post(const std::string &path, const std::string &body, const std::string &key = "test-api-key") {
        httplib::Headers headers;
        if (!key.empty()) headers.emplace("Api-Key", key);
        return client_->Post(("/api/" + path).c_str(), headers, body, "application/json");
    }
    MockIterable mock_{MockOptions{}};
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(MockIterableTest, MissingOrWrongApiKeyIs401BadApiKey) {
    for (const std::string key : {"", "nope"}) {
        auto r = post("events/track", R"({"eventName":"e","userId":"u"})", key);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 401);
        EXPECT_EQ(json::parse(r->body)["code"], "BadApiKey");
    }
}

TEST_F(MockIterableTest, MalformedJsonIsBadJsonBody) {
    auto r = post("users/update", "{not json");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(json::parse(r->body)["code"], "BadJsonBody");
}

TEST_F(MockIterableTest, WrongFieldTypesAreRejected) {
    auto r = post("events/track", R"({"eventName":"e","userId":"u","createdAt":"yesterday"})");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(json::parse(r->body)["code"], "RequestFieldsTypesMismatched");
    EXPECT_EQ(post("commerce/trackPurchase", R"({"user":{},"items":[],"total":"12"})")->status, 400);
}

TEST_F(MockIterableTest, EveryMistypedFieldIsRequestFieldsTypesMismatched) {
    const std::pair<const char *, const char *> cases[] = {
        {"users/update", R"({"email":1})"},
        {"users/update", R"({"userId":7})"},
        {"users/update", R"({"email":"a@x.io","dataFields":[1]})"},
        {"users/bulkUpdate", R"({"users":{}})"},
        {"events/trackBulk", R"({"events":"e"})"},
        {"events/track", R"({"eventName":"e","userId":"u","dataFields":"x"})"},
        {"commerce/trackPurchase", R"({"user":{"email":"a@x.io"},"items":{},"total":1})"},
        {"commerce/updateCart", R"({"user":{"userId":3},"items":[]})"},
        {"users/updateEmail", R"({"currentEmail":"a@x.io","newEmail":false})"},
        {"users/updateEmail", R"({"currentEmail":["a@x.io"],"newEmail":"b@x.io"})"},
    };
    for (const auto &[path, body] : cases) {
        auto r = post(path, body);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 400) << path << " " << body;
        EXPECT_EQ(json::parse(r->body)["code"], "RequestFieldsTypesMismatched") << path << " " << body;
    }
    EXPECT_TRUE(mock_.state()["users"].empty());
}

TEST_F(MockIterableTest, MissingRequiredFieldsAreBadParams) {
    auto r = post("users/update", R"({"dataFields":{}})");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(json::parse(r->body)["code"], "BadParams");
}

TEST_F(MockIterableTest, UnknownPathIs404) { EXPECT_EQ(post("users/frobnicate", "{}")->status, 404); }

TEST_F(MockIterableTest, BulkUpdateReportsMalformedEmails) {
    auto r = post("users/bulkUpdate", R"({"users":[{"email":"a@x.io","dataFields":{"p":1}},{"email":"sayan"}]})");
    ASSERT_EQ(r->status, 200);
    const json answer = json::parse(r->body);
    EXPECT_EQ(answer["successCount"], 1);
    EXPECT_EQ(answer["failCount"], 1);
    EXPECT_EQ(answer["invalidEmails"], json::array({"sayan"}));
    EXPECT_EQ(mock_.state()["users"]["a@x.io"]["dataFields"]["p"], 1);
    EXPECT_FALSE(mock_.state()["users"].contains("sayan"));
}

TEST_F(MockIterableTest, RecordsTheEndStateOfEveryEndpoint) {
    EXPECT_EQ(post("users/update", R"({"email":"a@x.io","dataFields":{"plan":"pro"}})")->status, 200);
    EXPECT_EQ(post("users/update", R"({"email":"a@x.io","dataFields":{"seats":3}})")->status, 200);
    EXPECT_EQ(post("events/track", R"({"email":"a@x.io","eventName":"Signed Up"})")->status, 200);
    EXPECT_EQ(post("commerce/trackPurchase", R"({"user":{"email":"a@x.io"},"items":[{"id":"p1"}],"total":9.5})")->status, 200);
    EXPECT_EQ(post("commerce/updateCart", R"({"user":{"email":"a@x.io"},"items":[{"id":"p2"}]})")->status, 200);
    EXPECT_EQ(post("users/registerDeviceToken", R"({"email":"a@x.io","device":{"token":"t","platform":"GCM"}})")->status, 200);
    EXPECT_EQ(post("users/updateEmail", R"({"currentEmail":"a@x.io","newEmail":"b@x.io"})")->status, 200);
    const json state = mock_.state();
    EXPECT_EQ(state["users"]["b@x.io"]["dataFields"], json({{"plan", "pro"}, {"seats", 3}}));  // merged, moved
    EXPECT_EQ(state["users"]["b@x.io"]["email"], "b@x.io");
    EXPECT_FALSE(state["users"].contains("a@x.io"));
    EXPECT_EQ(state["events"][0]["eventName"], "Signed Up");
    EXPECT_EQ(state["purchases"][0]["total"], 9.5);
    EXPECT_EQ(state["carts"]["a@x.io"][0]["id"], "p2");
    EXPECT_EQ(state["device_tokens"][0]["device"]["token"], "t");
    EXPECT_EQ(state["email_updates"][0]["newEmail"], "b@x.io");
    EXPECT_EQ(state["requests"].size(), 7u);
    EXPECT_EQ(state.dump().find("test-api-key"), std::string::npos);  // keys are never recorded
}

TEST_F(MockIterableTest, TrackBulkOverTenPerSecondIs429) {
    int throttled = 0;
    for (int i = 0; i < 12; ++i) {
        auto r = post("events/trackBulk", R"({"events":[{"email":"a@x.io","eventName":"e"}]})");
        if (r->status == 429) {
            ++throttled;
            EXPECT_EQ(r->get_header_value("Retry-After"), "1");
        }
    }
    EXPECT_EQ(throttled, 2);
}

TEST_F(MockIterableTest, FaultsOnDemand) {
    mock_.set_faults({.error_rate = 1.0});
    EXPECT_EQ(post("events/track", R"({"eventName":"e","userId":"u"})")->status, 503);
    mock_.set_faults({.throttle_next = 1});
    EXPECT_EQ(post("events/track", R"({"eventName":"e","userId":"u"})")->status, 429);
    EXPECT_EQ(post("events/track", R"({"eventName":"e","userId":"u"})")->status, 200);
    mock_.set_faults({.drop_rate = 1.0});
    EXPECT_FALSE(post("events/track", R"({"eventName":"e","userId":"u"})"));
    mock_.set_faults({.stall_ms = 500});
    client_->set_read_timeout(0, 100'000);
    EXPECT_FALSE(post("events/track", R"({"eventName":"e","userId":"u"})"));
}

TEST_F(MockIterableTest, CannedResponsesAreServedOnceAndRequestsStillCounted) {
    mock_.queue_response("/api/events/track", 400, R"({"msg":"Invalid email: sayan","code":"InvalidEmailAddressError"})");
    auto r = post("events/track", R"({"eventName":"e","email":"sayan"})");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(json::parse(r->body)["code"], "InvalidEmailAddressError");
    EXPECT_EQ(post("events/track", R"({"eventName":"e","email":"a@x.io"})")->status, 200);
    EXPECT_EQ(mock_.stats().requests, 2u);
}

TEST_F(MockIterableTest, CountsConnectionsSoKeepAliveCanBeObserved) {
    client_->set_keep_alive(true);
    for (int i = 0; i < 20; ++i) ASSERT_EQ(post("events/track", R"({"eventName":"e","userId":"u"})")->status, 200);
    EXPECT_EQ(mock_.stats().requests, 20u);
    EXPECT_EQ(mock_.stats().connections, 1u);
}

// Hundreds of destinations keep connections open between bursts: each holds one of the mock's
// threads, and a request on a new connection must still be answered (httplib's default pool of 8
// stopped answering).
TEST(MockIterableConnections, AnswersWhileHundredsOfIdleKeepAliveConnectionsAreOpen) {
    MockIterable mock{MockOptions{}};
    const int port = mock.start();
    std::vector<std::unique_ptr<httplib::Client>> idle;
    const auto post = [](httplib::Client &client) {
        client.set_keep_alive(true);
        client.set_read_timeout(2, 0);  // a request left waiting for a thread fails, not hangs
        return client.Post("/api/events/track", {{"Api-Key", "test-api-key"}}, R"({"eventName":"e","userId":"u"})",
                           "application/json");
    };
    for (int i = 0; i < 200; ++i) {
        idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
        const auto answer = post(*idle.back());
        ASSERT_TRUE(answer) << "connection " << i << " got no answer";
        EXPECT_EQ(answer->status, 200);
    }
    httplib::Client one_more("127.0.0.1", port);
    const auto answer = post(one_more);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(mock.stats().connections, 201u);  // every client kept its own connection open
}

}  // namespace
}  // namespace switchyard::testing
