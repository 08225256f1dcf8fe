// The ingestion API's reading of request bodies over real loopback HTTP: content checks,
// gzip, size limits (gzip bombs included), and when a connection may be reused after an answer.
#include <gtest/gtest.h>
#include <httplib.h>

#include <optional>
#include <string>

#include "tests/ingest/http_fixture.h"

namespace switchyard::ingest_testing {
namespace {

using nlohmann::json;

TEST(IngestHttp, UnsupportedEncodingsAndMediaTypesAre415) {
    TestHost host;
    const std::string event = R"({"userId":"u1"})";
    EXPECT_EQ(status_of(host.client().Post("/v1/track", {{"Content-Encoding", "compress"}}, event, "application/json")),
              415);
    EXPECT_EQ(status_of(host.client().Post("/v1/track", event, "multipart/form-data; boundary=x")), 415);
    EXPECT_EQ(status_of(host.client().Post("/v1/track", event, "application/xml")), 415);
    EXPECT_EQ(host.store.append_calls(), 0);
}

// The RudderStack Node SDK labels its gzipped JSON batches as a form (axios's default).
TEST(IngestHttp, JsonLabelledAsAFormIsAccepted) {
    TestHost host;
    const std::string batch = R"({"batch":[{"type":"track","userId":"u1","event":"Clicked"}]})";
    const httplib::Result result = host.client().Post("/v1/batch", {{"Content-Encoding", "gzip"}}, gzip(batch),
                                                      "application/x-www-form-urlencoded");
    ASSERT_EQ(status_of(result), 200) << (result ? result->body : "");
    ASSERT_EQ(host.store.stored_payloads().size(), 1u);
    EXPECT_EQ(host.store.stored_payloads()[0]["event"], "Clicked");
}

TEST(IngestHttp, AGzipBodyIsStoredDecoded) {
    TestHost host;
    const std::string event = R"({"userId":"u-gz","event":"Compressed","properties":{"text":")" +
                              std::string(2000, 'z') + R"("}})";
    const std::string compressed = gzip(event);
    ASSERT_LT(compressed.size(), event.size());
    const httplib::Result result =
        host.client().Post("/v1/track", {{"Content-Encoding", "gzip"}}, compressed, "application/json");
    ASSERT_EQ(status_of(result), 200) << (result ? result->body : "");
    const std::vector<json> stored = host.store.stored_payloads();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0]["event"], "Compressed");
    EXPECT_EQ(stored[0]["properties"]["text"], std::string(2000, 'z'));

    // Not gzip at all, though it says so: refused, nothing stored.
    const httplib::Result corrupt =
        host.client().Post("/v1/track", {{"Content-Encoding", "gzip"}}, event, "application/json");
    EXPECT_EQ(status_of(corrupt), 400);
    EXPECT_EQ(host.store.stored().size(), 1u);
}

// A body of exactly `size` bytes holding one valid track event.
std::string event_of_size(size_t size) {
    const std::string head = R"({"userId":"u1","properties":{"pad":")";
    const std::string tail = R"("}})";
    return head + std::string(size - head.size() - tail.size(), 'p') + tail;
}

TEST(IngestHttp, ABodyOverTheLimitIs413ByContentLength) {
    IngestLimits limits;
    limits.max_body_bytes = 2000;
    TestHost host(limits);
    EXPECT_EQ(status_of(host.client().Post("/v1/track", event_of_size(2000), "application/json")), 200);  // at the limit

    // Past the limit but within cpp-httplib's margin: refused while reading.
    const httplib::Result over = host.client().Post("/v1/track", event_of_size(2001), "application/json");
    EXPECT_EQ(status_of(over), 413);
    EXPECT_EQ(error_of(over), "The body is larger than 2000 bytes (after decompression).");
    // Far past it: refused by Content-Length before reading.
    const httplib::Result far_over = host.client().Post("/v1/track", event_of_size(20000), "application/json");
    EXPECT_EQ(status_of(far_over), 413);
    EXPECT_EQ(error_of(far_over), "The body is larger than 2000 bytes (after decompression).");
    EXPECT_EQ(host.store.stored().size(), 1u);
}

TEST(IngestHttp, AGzipBombIs413) {
    IngestLimits limits;
    limits.max_body_bytes = 64 * 1024;
    TestHost host(limits);
    // 2 MB of JSON that compresses to about 2 KB: small on the wire, far over the limit decoded.
    const std::string bomb = gzip(event_of_size(2 * 1024 * 1024));
    ASSERT_LT(bomb.size(), limits.max_body_bytes / 16);
    const httplib::Result result =
        host.client().Post("/v1/track", {{"Content-Encoding", "gzip"}}, bomb, "application/json");
    EXPECT_EQ(status_of(result), 413);
    EXPECT_EQ(error_of(result), "The body is larger than 65536 bytes (after decompression).");

    // A compressed body that decodes to just under the limit is fine.
    const httplib::Result fits = host.client().Post("/v1/track", {{"Content-Encoding", "gzip"}},
                                                    gzip(event_of_size(limits.max_body_bytes)), "application/json");
    EXPECT_EQ(status_of(fits), 200);
    EXPECT_EQ(host.store.stored().size(), 1u);
}

TEST(IngestHttp, AcceptedRequestsKeepTheConnectionAlive) {
    TestHost host;
    RawConnection connection(host.port());
    for (int i = 0; i < 3; ++i) {
        connection.send(http_post("/v1/track", R"({"userId":"u)" + std::to_string(i) + "\"}", kWebKey));
        const std::optional<RawConnection::Answer> answer = connection.answer();
        ASSERT_TRUE(answer.has_value()) << "request " << i;
        EXPECT_EQ(answer->status, 200);
        EXPECT_EQ(answer->headers.find("connection: close"), std::string::npos) << answer->headers;
    }
    EXPECT_EQ(host.store.stored().size(), 3u);
}

TEST(IngestHttp, AnAnswerBeforeTheBodyWasReadClosesTheConnection) {
    TestHost host;
    RawConnection connection(host.port());
    // A refused key leaves the body unread. A request pipelined behind it must not be served
    // from a stream whose position is unknown: the server answers once and hangs up.
    const std::string body = R"({"userId":"u1","event":"POST /v1/track HTTP/1.1"})";
    connection.send(http_post("/v1/track", body, "wk-nobody") + http_post("/v1/track", body, kWebKey));
    const std::optional<RawConnection::Answer> answer = connection.answer();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->status, 401);
    EXPECT_NE(answer->headers.find("connection: close"), std::string::npos) << answer->headers;
    EXPECT_TRUE(connection.closed_by_server());
    EXPECT_TRUE(host.store.stored().empty());
}

TEST(IngestHttp, AnUnreadBodyIsNeverTakenForTheNextRequest) {
    // Regression: the rest of a refused request's body used to stay on a kept-alive connection
    // and be parsed as a request of its own, so the client got an answer it never asked for.
    TestHost host;
    RawConnection connection(host.port());
    std::string body = "{\"userId\": \"u1\"";  // pretty-printed: a line per member, as some SDKs send
    for (int i = 0; i < 2000; ++i) body += ",\r\n  \"p" + std::to_string(i) + "\": \"padding\"";
    body += "\r\n}";
    connection.send(http_post("/v1/track", body, "wk-nobody"));
    const std::optional<RawConnection::Answer> answer = connection.answer();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->status, 401);
    const std::optional<RawConnection::Answer> spurious = connection.answer();
    EXPECT_FALSE(spurious.has_value()) << "a second answer: " << spurious->status << "\n" << spurious->body;
}

TEST(IngestHttp, ABodyRefusedWhileReadingClosesTheConnection) {
    IngestLimits limits;
    limits.max_body_bytes = 64 * 1024;
    TestHost host(limits);
    RawConnection connection(host.port());
    connection.send(http_post("/v1/track", gzip(event_of_size(2 * 1024 * 1024)), kWebKey,
                              "Content-Encoding: gzip\r\n"));
    const std::optional<RawConnection::Answer> answer = connection.answer();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->status, 413);
    EXPECT_NE(answer->headers.find("connection: close"), std::string::npos) << answer->headers;
    EXPECT_TRUE(connection.closed_by_server());
}

TEST(IngestHttp, ARefusalAfterTheWholeBodyWasReadKeepsTheConnectionUsable) {
    // The body was consumed, so the stream is at the next request: keep-alive stays correct.
    TestHost host;
    RawConnection connection(host.port());
    connection.send(http_post("/v1/track", R"({"event":"no identity"})", kWebKey));
    const std::optional<RawConnection::Answer> refused = connection.answer();
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->status, 400);
    connection.send(http_post("/v1/track", R"({"userId":"u1"})", kWebKey));
    const std::optional<RawConnection::Answer> accepted = connection.answer();
    ASSERT_TRUE(accepted.has_value());
    EXPECT_EQ(accepted->status, 200);
    EXPECT_EQ(host.store.stored().size(), 1u);
}

}  // namespace
}  // namespace switchyard::ingest_testing
