// The pooled HTTP client against a loopback server: what is sent, what is read back
// (status, body, Retry-After), keep-alive reuse, and failures that are no answer at all.

#include <future>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "switchyard/sdk/http_client.h"
#include "tests/plugin_sdk/loopback.h"
#include "tests/support/unlistened_port.h"

namespace sy::sdk {
namespace {

using switchyard::testing::UnlistenedPort;

TEST(HttpClient, SendsMethodHeadersAndBodyAndReadsTheAnswer) {
    Loopback loopback;
    loopback.server.Put("/items", [](const httplib::Request &req, httplib::Response &res) {
        res.status = 201;
        res.set_content(req.get_header_value("X-Kind") + "|" + req.get_header_value("User-Agent") + "|" + req.body,
                        "text/plain");
    });
    const std::string base = loopback.start();
    const HttpClient client(HttpOptions{.user_agent = "Switchyard-test/1"});
    const Request request(base + "/items", "PUT", R"({"a":1})", {{sizeof(sy_header), {"X-Kind", 6}, {"thing", 5}}});
    const HttpAnswer answer = client.perform(request.view());
    EXPECT_EQ(answer.status, 201);
    EXPECT_EQ(answer.body, R"(thing|Switchyard-test/1|{"a":1})");
    EXPECT_EQ(answer.retry_after_ms, std::nullopt);
}

TEST(HttpClient, ReadsRetryAfter) {
    Loopback loopback;
    loopback.server.Post("/busy", [](const httplib::Request &, httplib::Response &res) {
        res.status = 429;
        res.set_header("Retry-After", "7");
    });
    const std::string base = loopback.start();
    const HttpAnswer answer = HttpClient(HttpOptions{}).perform(Request(base + "/busy").view());
    EXPECT_EQ(answer.status, 429);
    EXPECT_EQ(answer.retry_after_ms, 7000u);
}

TEST(HttpClient, KeepsTheConnectionAliveAcrossRequests) {
    Loopback loopback;
    std::mutex mutex;
    std::set<int> client_ports;  // one per TCP connection
    loopback.server.Post("/", [&](const httplib::Request &req, httplib::Response &) {
        std::lock_guard lock(mutex);
        client_ports.insert(req.remote_port);
    });
    const std::string base = loopback.start();
    const HttpClient client(HttpOptions{});
    for (int i = 0; i < 5; ++i) EXPECT_EQ(client.perform(Request(base + "/").view()).status, 200);
    std::lock_guard lock(mutex);
    EXPECT_EQ(client_ports.size(), 1u);
}

TEST(HttpClient, NoListenerIsNoAnswerWithTheReason) {
    const UnlistenedPort port;
    const HttpAnswer answer = HttpClient(HttpOptions{}).perform(Request(port.url()).view());
    EXPECT_EQ(answer.status, 0);
    EXPECT_FALSE(answer.transport_error.empty());
}

TEST(HttpClient, AStalledServerIsATimeout) {
    Loopback loopback;
    std::promise<void> released;
    std::shared_future<void> release = released.get_future().share();
    loopback.server.Post("/slow", [release](const httplib::Request &, httplib::Response &) { release.wait(); });
    const std::string base = loopback.start();
    const HttpAnswer answer = HttpClient(HttpOptions{.request_timeout_ms = 200}).perform(Request(base + "/slow").view());
    released.set_value();  // lets the handler finish so the server can stop
    EXPECT_EQ(answer.status, 0);
    EXPECT_NE(answer.transport_error.find("imeout"), std::string::npos) << answer.transport_error;
}

TEST(RetryAfter, SecondsAndHttpDates) {
    EXPECT_EQ(parse_retry_after("120", 0), 120000u);
    EXPECT_EQ(parse_retry_after("0", 0), 0u);
    EXPECT_EQ(parse_retry_after("999999", 0), 3600000u);  // capped at an hour
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), 10000u);
    EXPECT_EQ(parse_retry_after("soon", 0), std::nullopt);
}

}  // namespace
}  // namespace sy::sdk
