// The ingestion API over real loopback HTTP: routes, write-key auth, storing before answering,
// store failures, routing to destinations, metrics. The store is an in-memory fake that records
// what it was asked to append.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>

#include "host/ingest/timestamp.h"
#include "tests/ingest/http_fixture.h"

namespace switchyard::ingest_testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(IngestHttp, EachSingleEventRouteStoresItsTypeWithIdsAndTimes) {
    TestHost host;
    httplib::Client client = host.client();
    const std::vector<std::string> types = {"identify", "track", "page", "screen", "group", "alias"};
    for (const std::string &type : types) {
        SCOPED_TRACE(type);
        // The body claims another type; the path decides. The client clock runs 3.5 s ahead.
        const std::string body = R"({"type":"bogus","userId":"u-)" + type + R"(","messageId":"m-)" + type +
                                 R"(","originalTimestamp":"2024-05-01T08:00:00.000Z","sentAt":"2024-05-01T08:00:03.500Z"})";
        const int64_t before = now_ms();
        const httplib::Result result = client.Post(("/v1/" + type).c_str(), body, "application/json");
        const int64_t after = now_ms();
        ASSERT_EQ(status_of(result), 200) << (result ? result->body : "");
        EXPECT_EQ(result->body, "OK");

        const std::vector<json> stored = host.store.stored_payloads();
        ASSERT_FALSE(stored.empty());
        const json &event = stored.back();
        EXPECT_EQ(event["type"], type);
        EXPECT_EQ(event["messageId"], "m-" + type);
        EXPECT_EQ(event["userId"], "u-" + type);
        EXPECT_EQ(event["request_ip"], "127.0.0.1");
        const std::optional<int64_t> received_at = ingest::parse_iso8601_ms(event["receivedAt"].get<std::string>());
        ASSERT_TRUE(received_at.has_value()) << event["receivedAt"];
        EXPECT_GE(*received_at, before);
        EXPECT_LE(*received_at, after);
        EXPECT_EQ(event["timestamp"], ingest::format_iso8601_ms(*received_at - 3500));
        EXPECT_EQ(host.store.append_times().back(), *received_at);  // the store is told the same moment
    }
    EXPECT_EQ(host.store.stored().size(), types.size());
    EXPECT_EQ(host.store.append_calls(), static_cast<int>(types.size()));
}

TEST(IngestHttp, EventsGoToTheSourcesDestinationsWithTheirUserKey) {
    TestHost host;
    ASSERT_EQ(status_of(host.client().Post("/v1/track", R"({"anonymousId":"anon-7","event":"E"})", "application/json")),
              200);
    const std::vector<IncomingEvent> stored = host.store.stored();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].destinations, kWebDestinations);
    EXPECT_EQ(stored[0].user_key, "anon-7");
}

TEST(IngestHttp, ABatchIsStoredWholeInOrderInOneAppend) {
    TestHost host;
    const std::string body =
        R"({"sentAt":"2024-05-01T08:00:05.000Z","context":{"library":{"name":"analytics-node"}},"batch":[)"
        R"({"type":"identify","userId":"u1","traits":{"email":"a@example.com"},"messageId":"b-0"},)"
        R"({"type":"track","userId":"u1","event":"Order Completed","originalTimestamp":"2024-05-01T08:00:04.000Z"},)"
        R"({"type":"group","anonymousId":"a9","groupId":"g1"}]})";
    const int64_t before = now_ms();
    const httplib::Result result = host.client().Post("/v1/batch", body, "application/json");
    ASSERT_EQ(status_of(result), 200) << (result ? result->body : "");
    EXPECT_EQ(host.store.append_calls(), 1);

    const std::vector<IncomingEvent> stored = host.store.stored();
    const std::vector<json> events = host.store.stored_payloads();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0]["type"], "identify");
    EXPECT_EQ(events[0]["messageId"], "b-0");
    EXPECT_EQ(events[1]["type"], "track");
    EXPECT_EQ(events[2]["type"], "group");
    EXPECT_NE(events[1]["messageId"], events[2]["messageId"]);
    EXPECT_EQ(stored[2].user_key, "a9");
    for (size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(stored[i].destinations, kWebDestinations);
        EXPECT_EQ(events[i]["receivedAt"], events[0]["receivedAt"]) << i;
        EXPECT_EQ(events[i]["context"], json::parse(R"({"library":{"name":"analytics-node"}})")) << i;
    }
    const int64_t received_at = *ingest::parse_iso8601_ms(events[0]["receivedAt"].get<std::string>());
    EXPECT_GE(received_at, before);
    EXPECT_EQ(events[1]["timestamp"], ingest::format_iso8601_ms(received_at - 1000));  // skew from the batch's sentAt

    // /v1/import takes batches too.
    EXPECT_EQ(status_of(host.client().Post("/v1/import", R"({"batch":[{"type":"page","userId":"u2"}]})",
                                           "application/json")),
              200);
    EXPECT_EQ(host.store.stored().size(), 4u);
}

TEST(IngestHttp, ABatchWithOneBadItemStoresNothing) {
    TestHost host;
    const httplib::Result result = host.client().Post(
        "/v1/batch", R"({"batch":[{"type":"track","userId":"u1"},{"type":"track","event":"no identity"}]})",
        "application/json");
    EXPECT_EQ(status_of(result), 400);
    EXPECT_EQ(error_of(result), "Batch item 1 was refused because it has neither a \"userId\" nor an \"anonymousId\".");
    EXPECT_EQ(host.store.append_calls(), 0);
}

TEST(IngestHttp, ABatchOverTheEventLimitIs413) {
    IngestLimits limits;
    limits.max_batch_events = 2;
    TestHost host(limits);
    const httplib::Result result = host.client().Post(
        "/v1/batch",
        R"({"batch":[{"type":"track","userId":"u1"},{"type":"track","userId":"u2"},{"type":"track","userId":"u3"}]})",
        "application/json");
    EXPECT_EQ(status_of(result), 413);
    EXPECT_EQ(error_of(result), "The batch has 3 events, more than the limit of 2.");
    EXPECT_EQ(host.store.append_calls(), 0);
}

TEST(IngestHttp, AnEventOverTheNestingOrStringLimitIs400AndStoresNothing) {
    IngestLimits limits;
    limits.max_nesting_depth = 3;
    limits.max_string_bytes = 16;
    TestHost host(limits);
    const httplib::Result deep = host.client().Post(
        "/v1/track", R"({"userId":"u1","event":"E","properties":{"a":{"b":{"c":1}}}})", "application/json");
    EXPECT_EQ(status_of(deep), 400);
    EXPECT_EQ(error_of(deep),
              "The event was refused because \"properties.a.b\" is nested more than 3 levels deep (objects and arrays).");
    const httplib::Result long_string = host.client().Post(
        "/v1/track", R"({"userId":"u1","event":"Seventeen bytes!!"})", "application/json");
    EXPECT_EQ(status_of(long_string), 400);
    EXPECT_EQ(error_of(long_string),
              "The event was refused because \"event\" is a string of 17 bytes, more than the limit of 16.");
    EXPECT_EQ(host.store.append_calls(), 0);
}

TEST(IngestHttp, UnknownOrMissingWriteKeysAre401AndStoreNothing) {
    TestHost host;
    const std::string event = R"({"userId":"u1","event":"E"})";
    const std::string unknown_key_error =
        "The write key is missing or unknown; send the source's write key as the HTTP Basic user name.";
    const httplib::Result unknown = host.client("wk-nobody").Post("/v1/track", event, "application/json");
    EXPECT_EQ(status_of(unknown), 401);
    EXPECT_EQ(error_of(unknown), unknown_key_error);
    EXPECT_EQ(status_of(host.client("").Post("/v1/track", event, "application/json")), 401);  // no header, no body key
    // A prefix of the real key, or the real key with a suffix, is another key.
    EXPECT_EQ(status_of(host.client(std::string(kWebKey).substr(0, 6)).Post("/v1/track", event, "application/json")),
              401);
    EXPECT_EQ(status_of(host.client(std::string(kWebKey) + "x").Post("/v1/track", event, "application/json")), 401);

    httplib::Client no_auth = host.client("");
    EXPECT_EQ(status_of(no_auth.Post("/v1/track", {{"Authorization", "Bearer " + std::string(kWebKey)}}, event,
                                     "application/json")),
              401);
    EXPECT_EQ(status_of(no_auth.Post("/v1/track", {{"Authorization", "Basic " + base64(":")}}, event,
                                     "application/json")),
              401);  // an empty key
    EXPECT_EQ(status_of(no_auth.Post("/v1/track", {{"Authorization", "Basic !!!"}}, event, "application/json")), 401);
    EXPECT_EQ(host.store.append_calls(), 0);
    EXPECT_TRUE(host.store.stored().empty());
}

TEST(IngestHttp, TheWriteKeyIsTheUserNameWhateverThePassword) {
    // SDKs send an empty password; auth.h ignores the password altogether.
    TestHost host;
    const std::string event = R"({"userId":"u1","event":"E"})";
    EXPECT_EQ(status_of(host.client(kWebKey, "").Post("/v1/track", event, "application/json")), 200);
    EXPECT_EQ(status_of(host.client(kWebKey, "not-the-password").Post("/v1/track", event, "application/json")), 200);
    EXPECT_EQ(status_of(host.client("wk-nobody", kWebKey).Post("/v1/track", event, "application/json")), 401);
    EXPECT_EQ(host.store.stored().size(), 2u);
}

TEST(IngestHttp, AWriteKeyInTheBodyAuthenticatesWhenThereIsNoHeader) {
    TestHost host;
    httplib::Client no_auth = host.client("");
    const httplib::Result single =
        no_auth.Post("/v1/track", R"({"writeKey":")" + std::string(kWebKey) + R"(","userId":"u1"})", "text/plain");
    EXPECT_EQ(status_of(single), 200);
    const httplib::Result batch = no_auth.Post(
        "/v1/batch", R"({"writeKey":")" + std::string(kWebKey) + R"(","batch":[{"type":"page","userId":"u2"}]})",
        "application/json");
    EXPECT_EQ(status_of(batch), 200);
    const std::vector<IncomingEvent> stored = host.store.stored();
    ASSERT_EQ(stored.size(), 2u);
    for (const IncomingEvent &event : stored) {
        EXPECT_EQ(event.payload.find(kWebKey), std::string::npos) << event.payload;  // the secret is never stored
        EXPECT_EQ(event.destinations, kWebDestinations);
    }

    EXPECT_EQ(status_of(no_auth.Post("/v1/track", R"({"writeKey":"wk-nobody","userId":"u1"})", "application/json")),
              401);
    // The header, when present, decides: a right key in the body does not rescue a wrong header.
    EXPECT_EQ(status_of(host.client("wk-nobody").Post(
                  "/v1/track", R"({"writeKey":")" + std::string(kWebKey) + R"(","userId":"u1"})", "application/json")),
              401);
    EXPECT_EQ(host.store.stored().size(), 2u);
}

TEST(IngestHttp, AnEventWithoutIdentityIs400WithASentence) {
    TestHost host;
    const httplib::Result result =
        host.client().Post("/v1/identify", R"({"traits":{"email":"a@example.com"}})", "application/json");
    EXPECT_EQ(status_of(result), 400);
    EXPECT_EQ(error_of(result), "The event was refused because it has neither a \"userId\" nor an \"anonymousId\".");
    const httplib::Result not_json = host.client().Post("/v1/identify", "userId=u1", "application/json");
    EXPECT_EQ(status_of(not_json), 400);
    EXPECT_EQ(error_of(not_json).rfind("The body is not valid JSON", 0), 0u) << error_of(not_json);
    EXPECT_EQ(status_of(host.client().Post("/v1/identify", "", "application/json")), 400);
    EXPECT_EQ(host.store.append_calls(), 0);
}

TEST(IngestHttp, AnswersOnlyAfterTheAppendReturned) {
    TestHost host;
    std::promise<void> entered;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    host.store.set_inside_append([&entered, released] {
        entered.set_value();
        released.wait();
    });
    std::future<int> answer = std::async(std::launch::async, [&host] {
        return status_of(host.client().Post("/v1/track", R"({"userId":"u1"})", "application/json"));
    });
    const bool append_started = entered.get_future().wait_for(5s) == std::future_status::ready;
    const bool answered_during_append = answer.wait_for(300ms) == std::future_status::ready;
    release.set_value();
    EXPECT_TRUE(append_started);
    EXPECT_FALSE(answered_during_append) << "the client had its answer while the append was still running";
    EXPECT_EQ(answer.get(), 200);
    EXPECT_EQ(host.store.stored().size(), 1u);
}

TEST(IngestHttp, AStoreFailureIs503AndNothingIsStored) {
    TestHost host;
    host.store.set_failing(true);
    const httplib::Result result =
        host.client().Post("/v1/batch", R"({"batch":[{"type":"track","userId":"u1"}]})", "application/json");
    EXPECT_EQ(status_of(result), 503);
    EXPECT_EQ(error_of(result), "The events could not be stored; retry later.");
    EXPECT_EQ(host.store.append_calls(), 1);
    EXPECT_TRUE(host.store.stored().empty());
    EXPECT_EQ(host.series(R"(switchyard_events_received_total{source="web",workspace="acme"})"), 0);

    host.store.set_failing(false);  // the SDK's retry goes through once the store recovers
    EXPECT_EQ(status_of(host.client().Post("/v1/batch", R"({"batch":[{"type":"track","userId":"u1"}]})",
                                           "application/json")),
              200);
    EXPECT_EQ(host.store.stored().size(), 1u);
}

TEST(IngestHttp, ASourceWithoutDestinationsIsAnswered200AndKeepsNothing) {
    TestHost host;
    EXPECT_EQ(status_of(host.client(kLonelyKey).Post("/v1/track", R"({"userId":"u1"})", "application/json")), 200);
    EXPECT_EQ(status_of(host.client(kLonelyKey).Post("/v1/batch", R"({"batch":[{"type":"page","userId":"u1"}]})",
                                                     "application/json")),
              200);
    EXPECT_EQ(host.store.append_calls(), 0);
    EXPECT_TRUE(host.store.stored().empty());
}

TEST(IngestHttp, CountsReceivedEventsPerSource) {
    TestHost host;
    const std::string web = R"(switchyard_events_received_total{source="web",workspace="acme"})";
    EXPECT_EQ(status_of(host.client().Post("/v1/track", R"({"userId":"u1"})", "application/json")), 200);
    EXPECT_EQ(status_of(host.client().Post(
                  "/v1/batch", R"({"batch":[{"type":"track","userId":"u1"},{"type":"page","userId":"u2"},)"
                               R"({"type":"screen","anonymousId":"a3"}]})",
                  "application/json")),
              200);
    // Refused requests count nothing.
    EXPECT_EQ(status_of(host.client("wk-nobody").Post("/v1/track", R"({"userId":"u1"})", "application/json")), 401);
    EXPECT_EQ(status_of(host.client().Post("/v1/track", R"({"event":"E"})", "application/json")), 400);
    EXPECT_EQ(host.series(web), 4);
    EXPECT_EQ(host.series(R"(switchyard_ingest_requests_total{code="200"})"), 2);
    EXPECT_EQ(host.series(R"(switchyard_ingest_requests_total{code="401"})"), 1);
    EXPECT_EQ(host.series(R"(switchyard_ingest_requests_total{code="400"})"), 1);
    EXPECT_EQ(host.series("switchyard_ingest_request_seconds_count"), 4);
}

TEST(IngestHttp, RequestIpIsTheFirstForwardedHop) {
    TestHost host;
    ASSERT_EQ(status_of(host.client().Post("/v1/track", {{"X-Forwarded-For", " 198.51.100.4 , 10.0.0.1"}},
                                           R"({"userId":"u1"})", "application/json")),
              200);
    ASSERT_EQ(status_of(host.client().Post("/v1/track", R"({"userId":"u1","request_ip":"192.0.2.9"})",
                                           "application/json")),
              200);
    const std::vector<json> stored = host.store.stored_payloads();
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0]["request_ip"], "198.51.100.4");
    EXPECT_EQ(stored[1]["request_ip"], "192.0.2.9");  // a server-side SDK's forwarded address is kept
}

}  // namespace
}  // namespace switchyard::ingest_testing
