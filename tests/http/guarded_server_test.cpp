// The listener's limits as a client meets them, over raw loopback sockets: a bound on
// connections (then 503), idle connections closed, slow requests cut with 408, others served.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "tests/http/listener_fixture.h"

namespace switchyard::http {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;

TEST_F(Listener, KeptAliveConnectionsServeRequestsLongAfterTheRequestTimeout) {
    start({.request_timeout = 200ms});
    RawClient client(port_);
    for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(client.send(kGet));
        EXPECT_EQ(client.read_answer().rfind("HTTP/1.1 200", 0), 0u) << "request " << i;
        std::this_thread::sleep_for(100ms);  // 600 ms in all: the deadline is per request
    }
}

TEST_F(Listener, AConnectionOverTheBoundIsAnswered503AndOneClosingMakesRoom) {
    start({.max_connections = 2});
    auto first = std::make_unique<RawClient>(port_);
    RawClient second(port_);
    for (RawClient *held : {first.get(), &second}) {  // served once, then kept open
        ASSERT_TRUE(held->send(kGet));
        ASSERT_EQ(held->read_answer().rfind("HTTP/1.1 200", 0), 0u);
    }
    EXPECT_EQ(metric_line("switchyard_http_connections_open"), "switchyard_http_connections_open 2");

    RawClient third(port_);
    ASSERT_TRUE(third.send(kGet));
    const std::string refused = third.read_until_closed();
    EXPECT_TRUE(third.closed());
    EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
    EXPECT_NE(refused.find("limit of 2 open connections"), std::string::npos) << refused;
    EXPECT_EQ(metric_line("switchyard_http_connections_refused_total{reason=\"full\"}"),
              "switchyard_http_connections_refused_total{reason=\"full\"} 1");

    first.reset();
    EXPECT_TRUE(eventually([&] { return served_hello(); }));
}

TEST_F(Listener, ASilentConnectionIsClosedAfterTheIdleTimeout) {
    start({.idle_timeout = 200ms});
    RawClient silent(port_);
    ASSERT_TRUE(silent.connected());
    EXPECT_EQ(silent.read_until_closed(), "");
    EXPECT_TRUE(silent.closed());
    EXPECT_TRUE(eventually([&] { return metric_line("switchyard_http_connections_open") == "switchyard_http_connections_open 0"; }));
}

TEST_F(Listener, HeadersDribbledPastTheRequestTimeoutAre408WhileOthersAreServed) {
    start({.read_timeout = 5s, .request_timeout = 500ms});
    RawClient slow(port_);
    ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: test\r\n"));
    bool others_served = true;
    std::string answer;
    for (int i = 0; i < 40 && !slow.closed(); ++i) {  // a header line every 100 ms: never silent for long
        slow.send("X-Slow: " + std::to_string(i) + "\r\n");
        others_served = others_served && served_hello();
        answer += slow.read_until_closed(100ms);
    }
    EXPECT_TRUE(slow.closed());
    EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
    EXPECT_NE(answer.find("500 ms for the whole request"), std::string::npos) << answer;
    EXPECT_TRUE(others_served);
    EXPECT_EQ(metric_line("switchyard_http_requests_timed_out_total"), "switchyard_http_requests_timed_out_total 1");
}

TEST_F(Listener, ABodyThatStopsArrivingIs408AfterTheReadTimeout) {
    start({.read_timeout = 300ms});
    RawClient stalled(port_);
    ASSERT_TRUE(stalled.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789"));
    const std::string answer = stalled.read_until_closed();
    EXPECT_TRUE(stalled.closed());
    EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
    EXPECT_NE(answer.find("300 ms of silence"), std::string::npos) << answer;
}

TEST_F(Listener, ARequestStillArrivingAtShutdownIs503AndDoesNotHoldTheShutdown) {
    start({.read_timeout = 60s, .request_timeout = 60s});
    RawClient slow(port_);
    ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789"));
    ASSERT_TRUE(eventually([&] { return metric_line("switchyard_http_connections_open") == "switchyard_http_connections_open 1"; }));
    std::thread stopper([&] { stop(); });
    const std::string answer = slow.read_until_closed();  // long before the 60 s timeouts
    stopper.join();
    EXPECT_TRUE(slow.closed());
    EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
    EXPECT_NE(answer.find("shutting down"), std::string::npos) << answer;
    EXPECT_EQ(metric_line("switchyard_http_requests_timed_out_total"), "") << "a shutdown is no client timeout";
}

TEST_F(Listener, ACompleteBodyIsAnsweredNormally) {
    start({.read_timeout = 300ms});
    RawClient client(port_);
    ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nhi"));
    const std::string answer = client.read_answer();
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
    EXPECT_NE(answer.find("\r\n\r\nhi"), std::string::npos) << answer;
}

// The slowloris of the review, scaled down: one address opens many connections and keeps each
// alive with a header line now and then. It gets its share of the slots, the rest is refused
// at once, and a client from another address is served all along.
TEST_F(Listener, OneAddressGetsItsShareOfConnectionsAndOthersAreServedAllAlong) {
    start({.max_connections = 8, .max_connections_per_client = 3, .header_timeout = 60s, .request_timeout = 60s});
    std::vector<std::unique_ptr<RawClient>> slowloris;
    for (int i = 0; i < 12; ++i) {
        slowloris.push_back(std::make_unique<RawClient>(port_, "127.0.0.2"));
        ASSERT_TRUE(slowloris.back()->connected());
        slowloris.back()->send("POST /echo HTTP/1.1\r\nHost: test\r\n");
    }
    std::vector<std::string> answers(slowloris.size());
    const auto refused = [&] {
        size_t closed = 0;
        for (size_t i = 0; i < slowloris.size(); ++i) {
            if (!slowloris[i]->closed()) answers[i] += slowloris[i]->read_until_closed(std::chrono::milliseconds(5));
            closed += slowloris[i]->closed();
        }
        return closed;
    };
    // The other client keeps one connection: a new one per round could find the server still
    // counting the last round's (it notices a close when it next reads), and be refused its share.
    auto other = std::make_unique<RawClient>(port_, "127.0.0.1");
    bool others_served = true;
    for (int round = 0; round < 10; ++round) {  // a header line on every held connection, then a request from 127.0.0.1
        for (auto &client : slowloris)
            if (!client->closed()) client->send("X-Slow: " + std::to_string(round) + "\r\n");
        others_served = others_served && other->send(kGet) && other->read_answer().rfind("HTTP/1.1 200", 0) == 0;
    }
    other.reset();
    ASSERT_TRUE(eventually([&] { return refused() == 9; })) << refused();
    EXPECT_TRUE(others_served);
    for (size_t i = 0; i < slowloris.size(); ++i) {
        if (!slowloris[i]->closed()) continue;
        EXPECT_EQ(answers[i].rfind("HTTP/1.1 503", 0), 0u) << answers[i];
        EXPECT_NE(answers[i].find("Retry-After: 1"), std::string::npos) << answers[i];
        EXPECT_NE(answers[i].find("This client address has 3 connections open"), std::string::npos) << answers[i];
    }
    EXPECT_EQ(metric_line("switchyard_http_connections_refused_total{reason=\"per_client\"}"),
              "switchyard_http_connections_refused_total{reason=\"per_client\"} 9");
    EXPECT_EQ(metric_line("switchyard_http_connections_refused_total{reason=\"full\"}"), "");
    EXPECT_TRUE(eventually([&] { return metric_line("switchyard_http_connections_open") == "switchyard_http_connections_open 3"; }));

    slowloris.clear();  // its connections close: the address may open new ones
    EXPECT_TRUE(eventually([&] { return served_hello("127.0.0.2"); }));
}

TEST_F(Listener, HeadersDribbledPastTheHeaderTimeoutAre408LongBeforeTheRequestTimeout) {
    start({.read_timeout = 5s, .header_timeout = 300ms, .request_timeout = 60s});
    RawClient slow(port_);
    ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: test\r\n"));
    std::string answer;
    for (int i = 0; i < 40 && !slow.closed(); ++i) {  // a header line every 100 ms: never silent for long
        slow.send("X-Slow: " + std::to_string(i) + "\r\n");
        answer += slow.read_until_closed(100ms);
    }
    EXPECT_TRUE(slow.closed());
    EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
    EXPECT_NE(answer.find("300 ms for the line and headers"), std::string::npos) << answer;
    EXPECT_EQ(metric_line("switchyard_http_requests_timed_out_total"), "switchyard_http_requests_timed_out_total 1");
}

TEST_F(Listener, TheHeaderTimeoutDoesNotBoundTheBody) {
    start({.read_timeout = 5s, .header_timeout = 300ms, .request_timeout = 60s});
    RawClient client(port_);
    ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 8\r\n\r\n"));
    for (int i = 0; i < 8; ++i) {  // 800 ms of body, well past the header timeout
        std::this_thread::sleep_for(100ms);
        ASSERT_TRUE(client.send("b"));
    }
    const std::string answer = client.read_answer();
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
    EXPECT_NE(answer.find("\r\n\r\nbbbbbbbb"), std::string::npos) << answer;
}

}  // namespace
}  // namespace switchyard::http
