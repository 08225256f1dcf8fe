// The host's HTTP listener: cpp-httplib's routing and request parsing, with the connection
// handling replaced so that clients cannot exhaust it. Over `max_connections`, or over
// `max_connections_per_client` from one address, a new connection is answered 503 at once; a
// silent client is dropped after the idle timeout; a request whose line and headers do not
// arrive within the header timeout, or whose line, headers and body do not arrive within the
// request timeout (however slowly they keep coming), is answered 408 and its connection closed;
// one still arriving at shutdown gets 503. With a TLS context it speaks HTTPS only, under the
// same limits.
// The port is bound exclusively: a second host on it fails to start instead of sharing it.
#pragma once

#include <httplib.h>

#include <memory>

#include "host/http/client_tally.h"
#include "host/http/connection_limits.h"

namespace switchyard {
class Metrics;
}

namespace switchyard::http {

class DeadlineStream;
class TlsContext;
class Transport;

class GuardedServer final : public httplib::Server {
   public:
    GuardedServer(ConnectionLimits limits, Metrics &metrics, std::shared_ptr<const TlsContext> tls = nullptr);

    // Call between binding and listen_after_bind(). Debian's cpp-httplib 0.11 listens with a
    // backlog of 5: a burst of new connections overflows it, and a dropped SYN is retried only
    // after a second.
    void widen_listen_backlog();

   private:
    enum class Refusal { full, per_client };

    // cpp-httplib calls this for each accepted connection: on the accepting thread to admit or
    // refuse it, then on a pool thread to serve an admitted one.
    bool process_and_close_socket(socket_t socket) override;
    bool admit(socket_t socket);
    void serve(socket_t socket);
    void serve_requests(socket_t socket, Transport &transport);
    void refuse(socket_t socket, Refusal why);
    void answer_cut(DeadlineStream &stream);
    void count_open(int change);

    const ConnectionLimits limits_;
    Metrics &metrics_;
    const std::shared_ptr<const TlsContext> tls_;
    ClientTally clients_;
    std::mutex open_mutex_;
    int open_ = 0;
};

}  // namespace switchyard::http
