// The transformer's HTTP/1.1 server: an event loop (Boost.Beast over Asio) run by one thread per
// usable core, on which transforms also run: a connection costs a socket and a small buffer, not
// a thread, and no request waits for a thread switch. The proxy, which waits for a destination's
// network, runs on threads of its own. Why not cpp-httplib, as the ingestion API: a thread per
// connection, and Debian's build sets up OpenSSL when loaded (3 MB resident), which this server
// never uses (docs/rudderstack.md).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "host/transformer/transformer_api.h"

namespace switchyard::transformer {

struct ServerLimits {
    size_t max_body_bytes = size_t{200} << 20;  // larger gets 413
    size_t max_connections = 256;               // open at once; one more is answered 503
};

class HttpServer {
   public:
    // `threads` serve connections and run transforms, one transform each at a time.
    HttpServer(TransformerApi &api, ServerLimits limits, size_t threads = usable_cores());
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // Listens on `host`:`port` (0: the kernel picks) and returns the port, or -1 with `error` set
    // to one sentence.
    int listen(const std::string &host, int port, std::string &error);
    // Serves until stop(), then returns once every connection has ended.
    void run();
    // From any thread: no new connection is accepted, idle ones are closed, and requests being
    // answered finish first.
    void stop();

    struct Impl;  // defined in http_server.cpp only: keeps Beast out of every includer

   private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::transformer
