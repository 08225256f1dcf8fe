// A webhook receiver on 127.0.0.1 for tests: records every request and answers as told.
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "tests/support/unlistened_port.h"

namespace webhook::testing {

using switchyard::testing::UnlistenedPort;  // for a URL nothing answers

struct Received {
    std::string method, path, body;
    httplib::Headers headers;  // names compare case-insensitively
    bool has(const std::string &name) const { return headers.count(name) > 0; }
    std::string header(const std::string &name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

struct Answer {
    int status = 200;
    std::string body;
    httplib::Headers headers;
};

class Receiver {
   public:
    // Starts listening; every request is recorded, then answered with answer().
    Receiver() {
        server_.set_payload_max_length(64ull << 20);
        auto handler = [this](const httplib::Request &req, httplib::Response &res) {
            std::shared_future<void> hold;
            Answer answer;
            {
                std::lock_guard lock(mutex_);
                received_.push_back({req.method, req.path, req.body, req.headers});
                hold = hold_;
                answer = answer_;
            }
            if (hold.valid()) hold.wait();
            res.status = answer.status;
            for (const auto &[name, value] : answer.headers) res.set_header(name, value);
            res.set_content(answer.body, "application/json");
        };
        server_.Post(".*", handler);
        server_.Put(".*", handler);
        server_.Options(".*", handler);
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
        thread_ = std::thread([this] { server_.listen_after_bind(); });  // accepts what queued meanwhile
        // stop() before the loop runs would be lost, and the destructor would wait forever.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (!server_.is_running()) throw std::runtime_error("the receiver did not start listening");
    }
    ~Receiver() {
        release();
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    Receiver(const Receiver &) = delete;
    Receiver &operator=(const Receiver &) = delete;

    std::string url(const std::string &path = "/hook") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

    void answer_with(Answer answer) {
        std::lock_guard lock(mutex_);
        answer_ = std::move(answer);
    }
    // Requests wait unanswered until release() (a receiver that hangs).
    void hold() {
        std::lock_guard lock(mutex_);
        gate_ = std::promise<void>();
        hold_ = gate_.get_future().share();
    }
    void release() {
        std::lock_guard lock(mutex_);
        if (hold_.valid()) gate_.set_value();
        hold_ = {};
    }

    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

   private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::vector<Received> received_;
    Answer answer_;
    std::promise<void> gate_;
    std::shared_future<void> hold_;
};

}  // namespace webhook::testing
