// HTTP for destination plugins: libcurl over the plugin process's pool of keep-alive (and
// HTTP/2) connections, bounded per API host and shared by every instance (connection_pool.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "switchyard/plugin.h"
#include "switchyard/sdk/connection_pool.h"

namespace sy::sdk {

struct HttpOptions {
    long connect_timeout_ms = 5000;
    long request_timeout_ms = 30000;
    bool gzip_requests = false;  // Content-Encoding: gzip on request bodies
    std::string user_agent = "Switchyard";  // "Switchyard-<plugin>/<version>" names the build in the destination's logs
};

struct HttpAnswer {
    long status = 0;                        // 0: no answer arrived
    std::string body;
    std::optional<uint32_t> retry_after_ms;  // from a Retry-After header
    std::string transport_error;            // why no answer arrived (status 0)
};

// Thread-safe: each call borrows a connection from the process's pool and gives it back after.
class HttpClient {
   public:
    // `host`: the instance's host API, whose advice (connections per host, idle timeout) sets the
    // process's pool when this is its first client; null: the defaults.
    explicit HttpClient(HttpOptions options, const sy_host_api *host = nullptr);
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    HttpAnswer perform(const sy_request &request) const;

   private:
    HttpOptions options_;
    std::shared_ptr<ConnectionPool> pool_;
};

// Seconds ("120") or an HTTP date; nullopt when unreadable. Exposed for tests.
std::optional<uint32_t> parse_retry_after(std::string_view value, int64_t now_epoch_seconds);

}  // namespace sy::sdk
