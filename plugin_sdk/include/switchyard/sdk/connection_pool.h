// Outbound connections of one plugin process, pooled per API host and bounded: every HttpClient
// of the plugin library in this process shares them, and idle ones close after a timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "switchyard/plugin.h"

typedef void CURL;  // libcurl's easy handle, as <curl/curl.h> declares it

namespace sy::sdk {

struct ConnectionLimits {
    uint32_t per_host = 32;                      // open connections to one scheme+host+port
    std::chrono::milliseconds idle_timeout{30000};  // an unused connection is closed after this
};

// The host's advice (sy_host_api 2.1: connections_per_host, idle_connection_timeout_ms), each
// field read only when the host's table reaches it and non-zero; the defaults otherwise.
ConnectionLimits advised_limits(const sy_host_api *host);

// One connection: a libcurl easy handle that caches at most one connection, lent to one request.
class Connection {
   public:
    Connection();
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    CURL *curl() const { return curl_; }

   private:
    CURL *curl_;
};

class ConnectionPool;

// A connection lent by the pool for one request; goes back (kept alive) when this is destroyed.
class Lease {
   public:
    Lease() = default;
    Lease(std::shared_ptr<ConnectionPool> pool, std::string host_key, std::unique_ptr<Connection> connection);
    Lease(Lease &&) noexcept = default;
    Lease &operator=(Lease &&) = delete;  // would drop a lent connection without giving it back
    ~Lease();
    explicit operator bool() const { return connection_ != nullptr; }
    CURL *curl() const { return connection_->curl(); }

   private:
    std::shared_ptr<ConnectionPool> pool_;
    std::string host_key_;
    std::unique_ptr<Connection> connection_;
};

// The pool of this plugin process. It exists while an HttpClient does: the first one's advice
// sets its limits (a host gives every instance of a process the same advice), and when the last
// one goes, its idle connections close and its reaper thread is joined, so that the plugin
// library can be unloaded. While no connection is idle, no thread of it runs.
class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
   public:
    // The process's pool, made with `limits` when none exists.
    static std::shared_ptr<ConnectionPool> shared(const ConnectionLimits &limits);
    explicit ConnectionPool(const ConnectionLimits &limits);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool &) = delete;
    ConnectionPool &operator=(const ConnectionPool &) = delete;

    const ConnectionLimits &limits() const { return limits_; }

    // The most recently used idle connection to `url`'s host, or a new one while fewer than the
    // limit are open to it, else waits until `deadline` for one to come back: then an empty Lease.
    Lease borrow(std::string_view url, std::chrono::steady_clock::time_point deadline);

   private:
    friend class Lease;
    struct State;
    void give_back(const std::string &host_key, std::unique_ptr<Connection> connection) noexcept;
    void reap();

    const ConnectionLimits limits_;
    std::unique_ptr<State> state_;
};

// "https://api.iterable.com:443": what connections are pooled by; the URL itself when unreadable.
std::string host_key_of(std::string_view url);

}  // namespace sy::sdk
