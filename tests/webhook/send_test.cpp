// send and verify through webhook.so against a receiver on 127.0.0.1: what arrives (bytes,
// method, headers) and how each kind of answer, or no answer, is graded.
#include <ctime>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/webhook/receiver.h"
#include "tests/webhook/webhook_plugin.h"

namespace webhook::testing {
namespace {

using nlohmann::json;

constexpr const char *kEvent = R"({"type":"track", "event":"Signed Up","properties":{"plan":"pro","n":1.50}})";
constexpr const char *kToken = "Bearer s3cr3t-t0ken";

class WebhookSend : public ::testing::Test {
   protected:
    std::unique_ptr<Destination> destination(const std::string &url, json settings = json::object()) {
        settings["url"] = url;
        settings["headers"] = {{"Authorization", kToken}};
        auto out = std::make_unique<Destination>(plugin_, settings.dump());
        if (!out->ok()) throw std::runtime_error(out->error());
        return out;
    }
    WebhookPlugin plugin_;
    Receiver receiver_;
};

TEST_F(WebhookSend, A2xxIsDeliveredAndTheReceiverGetsTheEventsBytes) {
    receiver_.answer_with({204, "", {}});
    const Sent sent = destination(receiver_.url())->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_OK);
    EXPECT_EQ(sent.http_status, 204u);
    EXPECT_EQ(sent.message, "");
    const std::vector<Received> received = receiver_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "POST");
    EXPECT_EQ(received[0].path, "/hook");
    EXPECT_EQ(received[0].body, kEvent);
    EXPECT_EQ(received[0].header("Content-Type"), "application/json");
    EXPECT_EQ(received[0].header("Authorization"), kToken);
}

TEST_F(WebhookSend, PutAndABatchArriveAsOneArray) {
    auto hook = destination(receiver_.url(), {{"method", "PUT"}, {"batchSize", 2}});
    const std::vector<std::string> events = {R"({"type":"track","event":"a"})", R"({"type":"track","event":"b"})"};
    std::vector<sy_str_view> views = {view(events[0]), view(events[1])};
    const sy_plugin &table = plugin_.table();
    const sy_transform_result *transformed = table.transform(hook->instance(), views.data(), 2, 1000);
    ASSERT_NE(transformed, nullptr);
    ASSERT_EQ(transformed->request_count, 1u);
    const sy_send_result *sent = table.send(hook->instance(), &transformed->requests[0]);
    ASSERT_NE(sent, nullptr);
    EXPECT_EQ(sent->outcome, SY_OK);
    table.release(hook->instance(), sent->owner);
    table.release(hook->instance(), transformed->owner);
    const std::vector<Received> received = receiver_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "PUT");
    EXPECT_EQ(received[0].body, "[" + events[0] + "," + events[1] + "]");
}

TEST_F(WebhookSend, A429IsThrottledWithRetryAfterInSeconds) {
    receiver_.answer_with({429, R"({"error":"slow down"})", {{"Retry-After", "7"}}});
    const Sent sent = destination(receiver_.url())->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_THROTTLED);
    EXPECT_EQ(sent.http_status, 429u);
    EXPECT_EQ(sent.retry_after_ms, 7000u);
    EXPECT_EQ(sent.message, R"(The webhook answered HTTP 429: {"error":"slow down"})");
}

TEST_F(WebhookSend, A429IsThrottledWithRetryAfterAsAnHttpDate) {
    const std::time_t in_a_minute = std::time(nullptr) + 60;
    char date[64];
    std::tm utc{};
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", ::gmtime_r(&in_a_minute, &utc));
    receiver_.answer_with({429, "", {{"Retry-After", date}}});
    const Sent sent = destination(receiver_.url())->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_THROTTLED);
    EXPECT_GE(sent.retry_after_ms, 55'000u);  // the clock moved on a little since `date`
    EXPECT_LE(sent.retry_after_ms, 60'000u);
    EXPECT_EQ(sent.message, "The webhook answered HTTP 429 with an empty body.");
}

TEST_F(WebhookSend, A5xxIsRetried) {
    receiver_.answer_with({503, "maintenance", {}});
    const Sent sent = destination(receiver_.url())->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_RETRY);
    EXPECT_EQ(sent.http_status, 503u);
    EXPECT_EQ(sent.message, "The webhook answered HTTP 503: maintenance");
}

TEST_F(WebhookSend, Another4xxIsAbortedWithAShortExcerptAndNoSecret) {
    // A receiver that echoes the request's credentials and a long explanation.
    receiver_.answer_with({400, std::string("bad event; you sent ") + kToken + "\n" + std::string(500, 'z'), {}});
    const Sent sent = destination(receiver_.url())->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_ABORT);
    EXPECT_EQ(sent.http_status, 400u);
    EXPECT_EQ(sent.message.rfind("The webhook answered HTTP 400: bad event; you sent [redacted] zzz", 0), 0u) << sent.message;
    EXPECT_EQ(sent.message.find("s3cr3t"), std::string::npos);
    EXPECT_LE(sent.message.size(), std::string("The webhook answered HTTP 400: ").size() + 200);
}

TEST_F(WebhookSend, AnAnswerQuotingTheUrlPathDoesNotLeakIt) {
    receiver_.answer_with({404, "Cannot POST /hooks/T00/secret-path-token", {}});
    const Sent sent = destination(receiver_.url("/hooks/T00/secret-path-token"))->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_ABORT);
    EXPECT_EQ(sent.message, "The webhook answered HTTP 404: Cannot POST [redacted]");
}

TEST_F(WebhookSend, ATimeoutIsRetried) {
    receiver_.hold();  // the receiver answers only after the plugin gave up
    const Sent sent = destination(receiver_.url(), {{"timeoutMs", 200}})->send_event(kEvent);
    receiver_.release();
    EXPECT_EQ(sent.outcome, SY_RETRY);
    EXPECT_EQ(sent.http_status, 0u);
    EXPECT_EQ(sent.message, "The webhook request got no answer: Timeout was reached.");
}

TEST_F(WebhookSend, ARefusedConnectionIsRetried) {
    UnlistenedPort nobody;
    const Sent sent = destination(nobody.url("/hook"))->send_event(kEvent);
    EXPECT_EQ(sent.outcome, SY_RETRY);
    EXPECT_EQ(sent.http_status, 0u);
    EXPECT_EQ(sent.message, "The webhook request got no answer: Couldn't connect to server.");
}

TEST_F(WebhookSend, VerifyAcceptsAnyAnswerAndSendsNoCredentials) {
    receiver_.answer_with({405, "", {}});
    auto hook = destination(receiver_.url());
    char error[256] = "unchanged";
    EXPECT_EQ(plugin_.table().verify(hook->instance(), error, sizeof error), SY_OK);
    EXPECT_STREQ(error, "");
    const std::vector<Received> received = receiver_.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "OPTIONS");
    EXPECT_FALSE(received[0].has("Authorization"));
}

TEST_F(WebhookSend, VerifyReportsAnUnreachableUrl) {
    UnlistenedPort nobody;
    auto hook = destination(nobody.url("/hook"));
    char error[256] = "";
    EXPECT_EQ(plugin_.table().verify(hook->instance(), error, sizeof error), SY_RETRY);
    EXPECT_STREQ(error, "The webhook URL is not reachable: Couldn't connect to server.");
}

}  // namespace
}  // namespace webhook::testing
