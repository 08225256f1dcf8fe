// A GuardedServer on an ephemeral loopback port with two routes (GET /hello, POST /echo), its
// metrics, and helpers to poll for what clients observe.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "host/http/guarded_server.h"
#include "host/metrics/metrics.h"
#include "tests/support/raw_client.h"

namespace switchyard::http {

inline constexpr std::string_view kGet = "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n";

class Listener : public ::testing::Test {
   protected:
    void start(ConnectionLimits limits, std::shared_ptr<const TlsContext> tls = nullptr) {
        server_ = std::make_unique<GuardedServer>(limits, metrics_, std::move(tls));
        server_->set_keep_alive_max_count(1000);
        server_->Get("/hello", [](const httplib::Request &, httplib::Response &res) { res.set_content("hi", "text/plain"); });
        server_->Post("/echo", [](const httplib::Request &req, httplib::Response &res) { res.set_content(req.body, "text/plain"); });
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

    void TearDown() override { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        server_->stop();
        thread_.join();
    }

    // A plain GET /hello on a new connection from `from` was answered 200.
    bool served_hello(const char *from = "127.0.0.1") {
        testing::RawClient client(port_, from);
        return client.send(kGet) && client.read_answer().rfind("HTTP/1.1 200", 0) == 0;
    }

    // The rendered line of one series, e.g. `name{label="x"}`; empty when absent.
    std::string metric_line(std::string_view series) {
        const std::string text = metrics_.render();
        const size_t at = text.find("\n" + std::string(series) + " ");
        return at == std::string::npos ? "" : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
    }

    // Polls `done` every 10 ms until it holds or 5 s pass.
    static bool eventually(const std::function<bool()> &done) {
        for (int i = 0; i < 500; ++i) {
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return done();
    }

    Metrics metrics_;
    std::unique_ptr<GuardedServer> server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace switchyard::http
