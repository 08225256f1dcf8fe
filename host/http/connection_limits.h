// What one HTTP listener allows its clients: how many connections at once, and how long a
// client may keep a thread waiting. Defaults suit SDKs that keep a connection open and send
// batches of up to a few MB.
#pragma once

#include <chrono>
#include <cstddef>

namespace switchyard::http {

struct ConnectionLimits {
    size_t max_connections = 256;                       // one more is answered 503 and closed at once
    size_t max_connections_per_client = 32;             // from one peer address; one more: 503, closed
    std::chrono::milliseconds idle_timeout{5'000};      // no request started for this long: closed
    std::chrono::milliseconds read_timeout{5'000};      // silence in the middle of a request: 408, closed
    std::chrono::milliseconds header_timeout{10'000};   // line and headers (and a TLS handshake) within this: else 408
    std::chrono::milliseconds request_timeout{30'000};  // line, headers and body all read within this: else 408
    std::chrono::milliseconds write_timeout{5'000};     // a client that does not read its answer: closed
};

}  // namespace switchyard::http
