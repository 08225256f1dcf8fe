// HTTP for destination plugins: libcurl with a pool of reusable handles, so every worker
// thread keeps warm keep-alive (and HTTP/2) connections to the destination.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/plugin.h"

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

// Thread-safe: each call borrows a handle from the pool and returns it afterwards.
class HttpClient {
   public:
    explicit HttpClient(HttpOptions options);
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    HttpAnswer perform(const sy_request &request) const;

   private:
    struct Handle;
    std::unique_ptr<Handle> borrow() const;
    void give_back(std::unique_ptr<Handle> handle) const;

    HttpOptions options_;
    mutable std::mutex pool_mutex_;
    mutable std::vector<std::unique_ptr<Handle>> pool_;
};

// Seconds ("120") or an HTTP date; nullopt when unreadable. Exposed for tests.
std::optional<uint32_t> parse_retry_after(std::string_view value, int64_t now_epoch_seconds);

}  // namespace sy::sdk
