// The process's connection pool against a loopback server and the mock Iterable: many HttpClients
// never open more than the per-host limit, share kept-alive connections, close idle ones after the timeout, wait for a
// free one no longer than the request's timeout, and leave no thread behind when the last goes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "switchyard/sdk/connection_pool.h"
#include "switchyard/sdk/http_client.h"
#include "tests/plugin_sdk/loopback.h"
#include "tests/support/mock_iterable.h"

namespace sy::sdk {
namespace {

using namespace std::chrono_literals;

// A 2.1 host's table advising `per_host` connections and `idle_ms`.
sy_host_api advising(uint32_t per_host, uint32_t idle_ms) {
    sy_host_api host{};
    host.struct_size = sizeof host;
    host.connections_per_host = per_host;
    host.idle_connection_timeout_ms = idle_ms;
    return host;
}

// The pool's reaper threads in this process (it names itself).
size_t reapers() {
    size_t count = 0;
    for (const auto &task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::string name;
        std::getline(std::ifstream(task.path() / "comm"), name);
        count += name == "sy-conn-reaper" ? 1 : 0;
    }
    return count;
}

// Established TCP connections this process holds open to `port` on 127.0.0.1 (client ends).
size_t open_connections_to(int port) {
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // the header
    size_t count = 0;
    char wanted[16];
    std::snprintf(wanted, sizeof wanted, "0100007F:%04X", port);
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        fields >> slot >> local >> remote >> state;
        if (remote == wanted && state == "01") ++count;
    }
    return count;
}

// Polls `done` until it holds or 5 s pass: for what the kernel reports, which signals nothing.
template <class Check>
bool eventually(Check done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// Counts the connections a server is asked on (by client port) and the requests it serves at once.
struct ConnectionCounter {
    std::mutex mutex;
    std::set<int> client_ports;
    int serving = 0, most_at_once = 0;

    void serve(Loopback &loopback, std::chrono::milliseconds each) {
        loopback.server.set_keep_alive_max_count(100000);  // only the client closes connections
        loopback.server.Post("/", [this, each](const httplib::Request &req, httplib::Response &) {
            {
                std::lock_guard lock(mutex);
                client_ports.insert(req.remote_port);
                most_at_once = std::max(most_at_once, ++serving);
            }
            std::this_thread::sleep_for(each);  // holds the connection, so that requests overlap
            std::lock_guard lock(mutex);
            --serving;
        });
    }
};

TEST(ConnectionPool, ManyClientsNeverOpenMoreThanTheLimitToOneHost) {
    Loopback loopback;
    ConnectionCounter counter;
    counter.serve(loopback, 10ms);
    const std::string base = loopback.start();
    const sy_host_api host = advising(4, 30000);
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < 50; ++i) clients.push_back(std::make_unique<HttpClient>(HttpOptions{}, &host));
    std::atomic<int> answered{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < 25; ++t)
        senders.emplace_back([&, t] {
            for (int i = 0; i < 4; ++i)
                if (clients[(t * 4 + i) % clients.size()]->perform(Request(base + "/").view()).status == 200) ++answered;
        });
    for (std::thread &sender : senders) sender.join();
    EXPECT_EQ(answered, 100);
    std::lock_guard lock(counter.mutex);
    EXPECT_LE(counter.client_ports.size(), 4u);
    EXPECT_LE(counter.most_at_once, 4);
    EXPECT_EQ(open_connections_to(loopback.port()), counter.client_ports.size());
}

// 300 destinations' clients against the mock Iterable, bounded to 32 connections: everything is
// answered, over at most 32 connections.
TEST(ConnectionPool, HundredsOfDestinationsShareTheLimitAtTheMockIterable) {
    switchyard::testing::MockOptions options;
    options.rate_limits = false;
    switchyard::testing::MockIterable mock(options);
    mock.start();
    const std::string url = mock.base_url() + "events/track";
    const sy_host_api host = advising(32, 30000);
    std::vector<std::unique_ptr<HttpClient>> destinations;
    for (int i = 0; i < 300; ++i) destinations.push_back(std::make_unique<HttpClient>(HttpOptions{}, &host));
    const std::vector<sy_header> headers = {{sizeof(sy_header), {"Api-Key", 7}, {"test-api-key", 12}},
                                            {sizeof(sy_header), {"Content-Type", 12}, {"application/json", 16}}};
    const Request track(url, "POST", R"({"eventName":"e","userId":"u"})", headers);
    std::atomic<int> answered{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < 64; ++t)
        senders.emplace_back([&, t] {
            for (size_t d = static_cast<size_t>(t); d < destinations.size(); d += 64)
                for (int i = 0; i < 3; ++i) answered += destinations[d]->perform(track.view()).status == 200 ? 1 : 0;
        });
    for (std::thread &sender : senders) sender.join();
    EXPECT_EQ(answered, 900);
    EXPECT_LE(mock.stats().connections, 32u);
}

TEST(ConnectionPool, ClientsShareAKeptAliveConnection) {
    Loopback loopback;
    ConnectionCounter counter;
    counter.serve(loopback, 0ms);
    const std::string base = loopback.start();
    const HttpClient first(HttpOptions{}), second(HttpOptions{});
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(first.perform(Request(base + "/").view()).status, 200);
        EXPECT_EQ(second.perform(Request(base + "/").view()).status, 200);
    }
    std::lock_guard lock(counter.mutex);
    EXPECT_EQ(counter.client_ports.size(), 1u);
}

TEST(ConnectionPool, AnIdleConnectionClosesAfterTheTimeoutAndItsReaperEnds) {
    Loopback loopback;
    ConnectionCounter counter;
    counter.serve(loopback, 0ms);
    const std::string base = loopback.start();
    const sy_host_api host = advising(4, 200);
    const HttpClient client(HttpOptions{}, &host);
    const auto sent = std::chrono::steady_clock::now();
    ASSERT_EQ(client.perform(Request(base + "/").view()).status, 200);
    EXPECT_EQ(open_connections_to(loopback.port()), 1u);
    EXPECT_EQ(reapers(), 1u);  // the reaper, while one is idle
    EXPECT_TRUE(eventually([&] { return open_connections_to(loopback.port()) == 0; }));
    EXPECT_GE(std::chrono::steady_clock::now() - sent, std::chrono::milliseconds(200));
    EXPECT_TRUE(eventually([&] { return reapers() == 0; }));
    // The client still works: it opens a new connection.
    EXPECT_EQ(client.perform(Request(base + "/").view()).status, 200);
    std::lock_guard lock(counter.mutex);
    EXPECT_EQ(counter.client_ports.size(), 2u);
}

TEST(ConnectionPool, TheLastClientClosesEveryConnectionAndJoinsTheReaper) {
    Loopback loopback;
    ConnectionCounter counter;
    counter.serve(loopback, 0ms);
    const std::string base = loopback.start();
    auto client = std::make_unique<HttpClient>(HttpOptions{});  // idle connections wait 30 s
    ASSERT_EQ(client->perform(Request(base + "/").view()).status, 200);
    EXPECT_EQ(reapers(), 1u);
    client.reset();
    EXPECT_TRUE(eventually([&] { return reapers() == 0; }));
    EXPECT_EQ(open_connections_to(loopback.port()), 0u);
}

TEST(ConnectionPool, ARequestWaitsForAFreeConnectionNoLongerThanItsTimeout) {
    Loopback loopback;
    std::promise<void> released;
    std::shared_future<void> release = released.get_future().share();
    loopback.server.Post("/slow", [release](const httplib::Request &, httplib::Response &) { release.wait(); });
    loopback.server.Post("/", [](const httplib::Request &, httplib::Response &) {});
    const std::string base = loopback.start();
    const sy_host_api host = advising(1, 30000);
    const HttpClient holder(HttpOptions{}, &host), waiter(HttpOptions{.request_timeout_ms = 200}, &host);
    auto held = std::async(std::launch::async, [&] { return holder.perform(Request(base + "/slow").view()); });
    EXPECT_TRUE(eventually([&] { return open_connections_to(loopback.port()) == 1; }));
    const HttpAnswer answer = waiter.perform(Request(base + "/").view());
    EXPECT_EQ(answer.status, 0);
    EXPECT_EQ(answer.transport_error,
              "no connection to the destination's host came free within 200 ms (at most 1 per host in this plugin process)");
    released.set_value();
    EXPECT_EQ(held.get().status, 200);
    EXPECT_EQ(waiter.perform(Request(base + "/").view()).status, 200);  // reuses the one that came back
}

TEST(ConnectionPool, HostsArePooledApart) {
    Loopback one, two;
    ConnectionCounter first, second;
    first.serve(one, 0ms);
    second.serve(two, 0ms);
    const std::string a = one.start(), b = two.start();
    const sy_host_api host = advising(1, 30000);
    const HttpClient client(HttpOptions{.request_timeout_ms = 2000}, &host);
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(client.perform(Request(a + "/").view()).status, 200);
        EXPECT_EQ(client.perform(Request(b + "/").view()).status, 200);
    }
    EXPECT_EQ(open_connections_to(one.port()), 1u);
    EXPECT_EQ(open_connections_to(two.port()), 1u);
}

TEST(ConnectionPool, AdviceIsReadOnlyWhereTheHostsTableReachesIt) {
    sy_host_api host = advising(7, 1500);
    EXPECT_EQ(advised_limits(&host).per_host, 7u);
    EXPECT_EQ(advised_limits(&host).idle_timeout, std::chrono::milliseconds(1500));
    host.struct_size = offsetof(sy_host_api, connections_per_host);  // a 2.0 host's table
    EXPECT_EQ(advised_limits(&host).per_host, 32u);
    EXPECT_EQ(advised_limits(&host).idle_timeout, std::chrono::milliseconds(30000));
    const sy_host_api silent = advising(0, 0);
    EXPECT_EQ(advised_limits(&silent).per_host, 32u);
    EXPECT_EQ(advised_limits(nullptr).idle_timeout, std::chrono::milliseconds(30000));
}

TEST(ConnectionPool, KeysAreSchemeHostAndPort) {
    EXPECT_EQ(host_key_of("https://api.iterable.com/api/users/update"), "https://api.iterable.com:443");
    EXPECT_EQ(host_key_of("http://127.0.0.1:8090/api/events/track?x=1"), "http://127.0.0.1:8090");
    EXPECT_EQ(host_key_of("not a url"), "not a url");
}

}  // namespace
}  // namespace sy::sdk
