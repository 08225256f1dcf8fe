// Connection handling of the host's listener: bounds, refusal, TLS, keep-alive and deadlines.
#include "host/http/guarded_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/http/connection_pool.h"
#include "host/http/deadline_stream.h"
#include "host/http/socket_address.h"
#include "host/http/tls_transport.h"
#include "host/metrics/metrics.h"

namespace switchyard::http {
namespace {

constexpr const char *kOpen = "switchyard_http_connections_open";
constexpr const char *kRefused = "switchyard_http_connections_refused_total";
constexpr const char *kTimedOut = "switchyard_http_requests_timed_out_total";

// What process_and_close_socket does with the connection it is called for. cpp-httplib gives the
// pool only a closure that calls it, so the accepting thread runs that closure in the admit or
// refuse step before a pool thread runs it again to serve.
enum class Step { serve, admit, refuse_full };
thread_local Step step = Step::serve;
thread_local bool admitted = false;  // the admit step's verdict

std::string raw_answer(std::string_view status_line, std::string_view extra_headers, std::string_view sentence) {
    const std::string body = "{\"error\":\"" + std::string(sentence) + "\"}";
    return "HTTP/1.1 " + std::string(status_line) + "\r\nContent-Type: application/json\r\n" +
           std::string(extra_headers) + "Connection: close\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

// A plain connection's last answer: from the accepting thread, or to a client that spoke plain
// HTTP to the TLS port. Never blocks.
void answer_plainly(socket_t socket, const std::string &answer) {
    PlainTransport plain(socket);
    discard_pending_input(plain);
    (void)plain.send(answer.data(), answer.size());
}

void close_connection(socket_t socket) {
    ::shutdown(socket, SHUT_RDWR);
    ::close(socket);
}

// cpp-httplib's default sets SO_REUSEPORT, with which a second host binds the same port and
// the kernel splits the clients between the two. SO_REUSEADDR alone still lets a restarted host
// bind at once past connections of its predecessor in TIME_WAIT.
void exclusive_listener(socket_t socket) {
    const int on = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
}

}  // namespace

GuardedServer::GuardedServer(ConnectionLimits limits, Metrics &metrics, std::shared_ptr<const TlsContext> tls)
    : limits_(limits), metrics_(metrics), tls_(std::move(tls)), clients_(limits.max_connections_per_client) {
    metrics_.declare(kOpen, Metrics::Type::gauge, "Client connections open on the HTTP listener.");
    metrics_.declare(kRefused, Metrics::Type::counter,
                     "Connections refused at once (503, or closed over TLS): reason \"full\" at the listener's "
                     "bound, \"per_client\" at the bound for one client address.");
    metrics_.declare(kTimedOut, Metrics::Type::counter, "Requests cut (408) for arriving too slowly.");
    metrics_.set(kOpen, {}, 0);
    set_socket_options(exclusive_listener);
    new_task_queue = [this] {
        return new ConnectionPool(
            limits_.max_connections,
            [](const ConnectionPool::Connection &connection) {
                step = Step::admit;
                connection();
                step = Step::serve;
                return admitted;
            },
            [](const ConnectionPool::Connection &connection) {
                step = Step::refuse_full;
                connection();
                step = Step::serve;
            });
    };
}

void GuardedServer::widen_listen_backlog() {
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);  // listen() again only resizes the queue
}

bool GuardedServer::process_and_close_socket(socket_t socket) {
    switch (step) {
        case Step::admit:
            admitted = admit(socket);
            if (admitted) return true;  // a pool thread serves it, then closes it
            break;
        case Step::refuse_full:
            refuse(socket, Refusal::full);
            break;
        case Step::serve:
            count_open(+1);
            serve(socket);
            count_open(-1);
            clients_.release(socket);
            break;
    }
    close_connection(socket);
    return true;
}

bool GuardedServer::admit(socket_t socket) {
    const std::string address = peer_ip(socket);
    if (address.empty()) return false;  // gone already
    if (clients_.admit(socket, address)) return true;
    refuse(socket, Refusal::per_client);
    return false;
}

void GuardedServer::serve(socket_t socket) {
    const int on = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // else Nagle holds each answer ~40 ms
    if (!tls_) {
        PlainTransport plain(socket);
        return serve_requests(socket, plain);
    }
    TlsTransport tls(*tls_, socket);
    serve_requests(socket, tls);
    if (tls.plain_http_spoken())
        answer_plainly(socket, raw_answer("400 Bad Request", "", "This port speaks HTTPS only; use an https:// URL."));
}

void GuardedServer::serve_requests(socket_t socket, Transport &transport) {
    DeadlineStream stream(socket, transport, limits_, [this] { return svr_sock_ == INVALID_SOCKET; });
    if (!stream.handshake()) return;
    const auto headers_read = [&stream](httplib::Request &) { stream.headers_read(); };
    for (size_t served = 0; served < keep_alive_max_count_ && stream.await_request(); ++served) {
        bool closed = false;
        const bool answered = process_request(stream, served + 1 == keep_alive_max_count_, closed, headers_read);
        if (stream.cut() != DeadlineStream::Cut::no) return answer_cut(stream);
        if (!answered || closed) return;
    }
}

// Over TLS a refusal cannot be answered without a handshake, which the accepting thread must
// not wait for: the connection is closed at once.
void GuardedServer::refuse(socket_t socket, Refusal why) {
    metrics_.add(kRefused, {{"reason", why == Refusal::full ? "full" : "per_client"}});
    if (tls_) return;
    const std::string sentence = why == Refusal::full
                                     ? "The host is at its limit of " + std::to_string(limits_.max_connections) +
                                           " open connections; retry later."
                                     : "This client address has " + std::to_string(limits_.max_connections_per_client) +
                                           " connections open, the most one address may have; retry later.";
    answer_plainly(socket, raw_answer("503 Service Unavailable", "Retry-After: 1\r\n", sentence));
}

void GuardedServer::answer_cut(DeadlineStream &stream) {
    const bool stopping = stream.cut() == DeadlineStream::Cut::stopping;
    if (!stopping) metrics_.add(kTimedOut, {});
    if (stream.wrote_since_request_start()) return;  // an answer was already under way
    stream.discard_pending_input();
    if (stopping)
        return stream.send_now(raw_answer("503 Service Unavailable", "Retry-After: 1\r\n", "The host is shutting down; retry."));
    stream.send_now(raw_answer("408 Request Timeout", "",
                               "The request did not arrive in time: at most " +
                                   std::to_string(limits_.read_timeout.count()) + " ms of silence, " +
                                   std::to_string(limits_.header_timeout.count()) + " ms for the line and headers, and " +
                                   std::to_string(limits_.request_timeout.count()) + " ms for the whole request."));
}

void GuardedServer::count_open(int change) {
    std::lock_guard lock(open_mutex_);
    open_ += change;
    metrics_.set(kOpen, {}, open_);
}

}  // namespace switchyard::http
