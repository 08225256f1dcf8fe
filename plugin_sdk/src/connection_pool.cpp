// The process-wide pool of outbound connections: per API host a LIFO of idle connections (the
// most recently used is reused first, so the others age out) and a count of those lent out; a
// reaper thread, alive only while some connection is idle, closes those idle past the timeout.
#include "switchyard/sdk/connection_pool.h"

#include <curl/curl.h>
#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace sy::sdk {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char *kReaperName = "sy-conn-reaper";

// libcurl's global init sets up OpenSSL (2 MB resident): it waits for the first connection, so
// that a process that only transforms (`switchyard transformer`, `transform`) never pays it. It
// is thread-safe from libcurl 7.84 (CURL_VERSION_THREADSAFE), which Debian 12 has.
void init_curl_once() {
    static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
    (void)initialised;
}

struct IdleConnection {
    std::unique_ptr<Connection> connection;
    Clock::time_point closes_at;
};

struct HostConnections {
    std::vector<IdleConnection> idle;  // oldest first: back() is the one to reuse
    uint32_t lent = 0;
    std::condition_variable returned;  // one of this host's connections came back
};

// The process's pool while an HttpClient holds it: this pointer never keeps it alive.
std::mutex shared_mutex;
std::weak_ptr<ConnectionPool> shared_pool;

}  // namespace

ConnectionLimits advised_limits(const sy_host_api *host) {
    ConnectionLimits limits;
    if (SY_HOST_REACHES(host, connections_per_host) && host->connections_per_host != 0)
        limits.per_host = host->connections_per_host;
    if (SY_HOST_REACHES(host, idle_connection_timeout_ms) && host->idle_connection_timeout_ms != 0)
        limits.idle_timeout = std::chrono::milliseconds(host->idle_connection_timeout_ms);
    return limits;
}

std::string host_key_of(std::string_view url) {
    std::string key(url);
    CURLU *parsed = curl_url();
    if (parsed == nullptr) return key;
    const std::string text(url);
    char *scheme = nullptr, *host = nullptr, *port = nullptr;
    if (curl_url_set(parsed, CURLUPART_URL, text.c_str(), 0) == CURLUE_OK &&
        curl_url_get(parsed, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(parsed, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        key = std::string(scheme) + "://" + host + ":" + port;
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(parsed);
    return key;
}

Connection::Connection() : curl_((init_curl_once(), curl_easy_init())) {}

Connection::~Connection() { curl_easy_cleanup(curl_); }  // closes its connection, if open

Lease::Lease(std::shared_ptr<ConnectionPool> pool, std::string host_key, std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), host_key_(std::move(host_key)), connection_(std::move(connection)) {}

Lease::~Lease() {
    if (connection_) pool_->give_back(host_key_, std::move(connection_));
}

struct ConnectionPool::State {
    std::mutex mutex;
    std::condition_variable reaper_wake;
    std::map<std::string, HostConnections, std::less<>> hosts;
    std::thread reaper;
    bool reaping = false;   // the reaper thread runs (it clears this as its last act under the lock)
    bool stopping = false;  // the pool is going away
};

std::shared_ptr<ConnectionPool> ConnectionPool::shared(const ConnectionLimits &limits) {
    std::lock_guard lock(shared_mutex);
    std::shared_ptr<ConnectionPool> pool = shared_pool.lock();
    if (!pool) {
        pool = std::make_shared<ConnectionPool>(limits);
        shared_pool = pool;
    }
    return pool;
}

ConnectionPool::ConnectionPool(const ConnectionLimits &limits) : limits_(limits), state_(std::make_unique<State>()) {}

ConnectionPool::~ConnectionPool() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->reaper_wake.notify_all();
    if (state_->reaper.joinable()) state_->reaper.join();
    // No lease is out (each holds the pool): the idle connections close with the map.
}

Lease ConnectionPool::borrow(std::string_view url, Clock::time_point deadline) {
    std::string key = host_key_of(url);
    std::unique_lock lock(state_->mutex);
    HostConnections &host = state_->hosts.try_emplace(key).first->second;
    const auto available = [&] { return !host.idle.empty() || host.lent < limits_.per_host; };
    if (!host.returned.wait_until(lock, deadline, available)) return {};
    ++host.lent;
    if (host.idle.empty()) {
        lock.unlock();  // a new handle is made outside the lock
        return {shared_from_this(), std::move(key), std::make_unique<Connection>()};
    }
    std::unique_ptr<Connection> reused = std::move(host.idle.back().connection);
    host.idle.pop_back();
    return {shared_from_this(), std::move(key), std::move(reused)};
}

// Called from Lease's destructor: nothing may escape. Should a reaper fail to start, the
// connection stays idle until the next one comes back.
void ConnectionPool::give_back(const std::string &host_key, std::unique_ptr<Connection> connection) noexcept {
    std::lock_guard lock(state_->mutex);
    HostConnections &host = state_->hosts.find(host_key)->second;
    --host.lent;
    try {
        host.idle.push_back({std::move(connection), Clock::now() + limits_.idle_timeout});
        host.returned.notify_one();
        if (state_->reaping) return;
        // The last reaper cleared `reaping` under this lock and touches nothing after it.
        if (state_->reaper.joinable()) state_->reaper.join();
        state_->reaper = std::thread([this] { reap(); });
        state_->reaping = true;
        pthread_setname_np(state_->reaper.native_handle(), kReaperName);  // shows in top -H, ps -L and tests
    } catch (...) {
        host.returned.notify_one();  // a waiter may open a connection in place of this one
    }
}

// The reaper: sleeps until the oldest idle connection's deadline, closes those past it, and
// ends when none is idle (or the pool goes away).
void ConnectionPool::reap() {
    std::unique_lock lock(state_->mutex);
    while (!state_->stopping) {
        std::vector<std::unique_ptr<Connection>> expired;
        std::optional<Clock::time_point> next;
        const Clock::time_point now = Clock::now();
        for (auto &[key, host] : state_->hosts) {
            size_t kept = 0;
            while (kept < host.idle.size() && host.idle[kept].closes_at <= now) ++kept;
            for (size_t i = 0; i < kept; ++i) expired.push_back(std::move(host.idle[i].connection));
            host.idle.erase(host.idle.begin(), host.idle.begin() + static_cast<std::ptrdiff_t>(kept));
            if (!host.idle.empty() && (!next || host.idle.front().closes_at < *next)) next = host.idle.front().closes_at;
        }
        if (!expired.empty()) {
            lock.unlock();
            expired.clear();  // closes them outside the lock
            lock.lock();
            continue;  // connections may have come back meanwhile
        }
        if (!next) break;
        state_->reaper_wake.wait_until(lock, *next, [&] { return state_->stopping; });
    }
    state_->reaping = false;
}

}  // namespace sy::sdk
