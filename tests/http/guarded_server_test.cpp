// The listener's limits as a client meets them, over raw loopback sockets: a bound on
// connections (then 503), idle connections closed, slow requests cut with 408, others served.
#include "host/http/guarded_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "host/metrics/metrics.h"
#include "tests/support/raw_client.h"

namespace switchyard::http {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kGet = "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n";

using testing::RawClient;

class Listener : public ::testing::Test {
   protected:
    void start(ConnectionLimits limits) {
        server_ = std::make_unique<GuardedServer>(limits, metrics_);
        server_->set_keep_alive_max_count(1000);
        server_->Get("/hello", [](const httplib::Request &, httplib::Response &res) { res.set_content("hi", "text/plain"); });
        server_->Post("/echo", [](const httplib::Request &req, httplib::Response &res) { res.set_content(req.body, "text/plain"); });
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        while (!server_->is_running()) std::this_thread::sleep_for(1ms);
    }

    void TearDown() override { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        server_->stop();
        thread_.join();
    }

    bool served_hello() {
        RawClient client(port_);
        return client.send(kGet) && client.read_answer().rfind("HTTP/1.1 200", 0) == 0;
    }

    std::string metric_line(std::string_view name) {
        const std::string text = metrics_.render();
        const size_t at = text.find("\n" + std::string(name) + " ");
        return at == std::string::npos ? "" : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
    }

    bool eventually(const std::function<bool()> &done) {
        for (int i = 0; i < 500; ++i) {
            if (done()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return done();
    }

    Metrics metrics_;
    std::unique_ptr<GuardedServer> server_;
    std::thread thread_;
    int port_ = 0;
};

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
    EXPECT_EQ(metric_line("switchyard_http_connections_refused_total"), "switchyard_http_connections_refused_total 1");

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

}  // namespace
}  // namespace switchyard::http
