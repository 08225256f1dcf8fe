// The host's HTTP listener: cpp-httplib's routing and request parsing, with the connection
// handling replaced so that clients cannot exhaust it. Over `max_connections` a new connection
// is answered 503 at once; a silent client is dropped after the idle timeout; a request whose
// line, headers and body do not arrive within the request timeout (however slowly they keep
// coming) is answered 408 and its connection closed; one still arriving at shutdown gets 503.
// The port is bound exclusively: a second host on it fails to start instead of sharing it.
#pragma once

#include <httplib.h>

#include "host/http/connection_limits.h"

namespace switchyard {
class Metrics;
}

namespace switchyard::http {

class DeadlineStream;

class GuardedServer final : public httplib::Server {
   public:
    GuardedServer(ConnectionLimits limits, Metrics &metrics);

    // Call between binding and listen_after_bind(). Debian's cpp-httplib 0.11 listens with a
    // backlog of 5: a burst of new connections overflows it, and a dropped SYN is retried only
    // after a second.
    void widen_listen_backlog();

   private:
    // cpp-httplib calls this (on a pool thread) for each accepted connection.
    bool process_and_close_socket(socket_t socket) override;
    void serve(socket_t socket);
    void refuse(socket_t socket);
    void answer_cut(const DeadlineStream &stream);
    void count_open(int change);

    const ConnectionLimits limits_;
    Metrics &metrics_;
    std::mutex open_mutex_;
    int open_ = 0;
};

}  // namespace switchyard::http
