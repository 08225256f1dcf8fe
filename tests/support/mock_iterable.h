// A strict stand-in for Iterable's API on 127.0.0.1, for tests and the local demo: checks the
// API key and field types like Iterable, enforces its rate limits, injects faults on demand and
// records what it accepted, so tests assert on end state.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace switchyard::testing {

struct MockOptions {
    std::vector<std::string> api_keys = {"test-api-key"};
    bool rate_limits = true;
    std::set<std::string> disallowed_events;
    // Connections served at once: each open keep-alive connection holds one of these threads
    // until it closes (or stays idle past the 60 s keep-alive), and one more waits unanswered.
    // Hosts bounded at 32 connections per API host per plugin process fit many times over.
    int connection_threads = 256;
};

struct Faults {
    int latency_ms = 0;        // added before every answer
    double error_rate = 0;     // share of requests answered 503
    double drop_rate = 0;      // share of connections closed without an answer
    int stall_ms = 0;          // answer only after this long (provokes client timeouts)
    int throttle_next = 0;     // the next N requests are answered 429 with Retry-After: 1
};

struct MockStats {
    uint64_t requests = 0;
    // TCP connections that carried at least one request (httplib 0.11 offers no accept hook: its
    // set_socket_options runs only on the listening socket, so peers are told apart by address:port).
    uint64_t connections = 0;
    std::map<int, uint64_t> by_status;
    std::map<std::string, uint64_t> by_path;  // endpoint under /api/, or the full path otherwise
};
using Stats = MockStats;

class MockIterable {
   public:
    explicit MockIterable(MockOptions options);
    ~MockIterable();

    int start(int port = 0);  // 0: an ephemeral port; returns the port
    void stop();
    std::string base_url() const;  // "http://127.0.0.1:<port>/api/"

    nlohmann::json state() const;
    MockStats stats() const;
    void set_faults(const Faults &faults);
    // The next request to `path` (e.g. "/api/events/track") gets this answer instead of the usual
    // checks; answers queue up per path and each is served once.
    void queue_response(const std::string &path, int status, std::string body,
                        std::map<std::string, std::string> headers = {});
    void reset();

   private:
    struct Canned {
        int status;
        std::string body;
        std::map<std::string, std::string> headers;
    };
    void mount();
    void mount_control();
    void count(const httplib::Request &req, const std::string &endpoint);
    bool serve_canned(const std::string &path, httplib::Response &res);
    void handle(const httplib::Request &req, httplib::Response &res);
    bool apply_faults(httplib::Response &res);
    bool over_rate_limit(const std::string &key, const std::string &endpoint);
    void answer(httplib::Response &res, int status, const nlohmann::json &body);

    MockOptions options_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    Faults faults_;
    MockStats stats_;
    nlohmann::json state_;
    std::map<std::string, std::deque<Canned>> canned_;
    std::map<std::string, std::deque<int64_t>> recent_;  // request times per key+endpoint
    uint64_t sequence_ = 0;
    std::set<std::string> peers_;  // "addr:port" of every connection seen: one per TCP connection
};

}  // namespace switchyard::testing
