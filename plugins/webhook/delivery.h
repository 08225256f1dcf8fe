// Sending one webhook request and grading the answer; the reachability check (verify).
#pragma once

#include <memory>
#include <string>

#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/http_client.h"

namespace webhook {

// 2xx SY_OK; 429 SY_THROTTLED with the Retry-After hint; 5xx, timeouts and connection errors
// SY_RETRY; other 4xx SY_ABORT. The message names the status and quotes at most
// 200 bytes of the answer's body, with the request's URL and header values blanked out.
std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &http, const sy_request &request);

struct Reachability {
    sy_outcome outcome = SY_OK;
    std::string reason;  // one sentence when not SY_OK
};

// An OPTIONS request to the URL, without the configured headers: any HTTP answer proves the
// receiver reachable; no answer is SY_RETRY. Credentials cannot be judged this way.
Reachability check_reachable(const sy::sdk::HttpClient &http, const std::string &url);

}  // namespace webhook
