// Connection handling of the host's listener: bound, refusal, keep-alive and deadlines.
#include "host/http/guarded_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/http/connection_pool.h"
#include "host/http/deadline_stream.h"
#include "host/metrics/metrics.h"

namespace switchyard::http {
namespace {

constexpr const char *kOpen = "switchyard_http_connections_open";
constexpr const char *kRefused = "switchyard_http_connections_refused_total";
constexpr const char *kTimedOut = "switchyard_http_requests_timed_out_total";

// Set while the accepting thread runs a connection over the bound: it is refused, not served.
thread_local bool refusing = false;

std::string raw_answer(std::string_view status_line, std::string_view extra_headers, std::string_view sentence) {
    const std::string body = "{\"error\":\"" + std::string(sentence) + "\"}";
    return "HTTP/1.1 " + std::string(status_line) + "\r\nContent-Type: application/json\r\n" +
           std::string(extra_headers) + "Connection: close\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

// Best effort and never blocking: the accepting thread and dying connections use it.
void send_now(socket_t socket, const std::string &bytes) {
    (void)::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Reads what the client already sent, so closing does not reset the connection (a reset can
// make the client lose the answer it was just sent).
void discard_pending_input(socket_t socket) {
    char scratch[4096];
    while (::recv(socket, scratch, sizeof scratch, MSG_DONTWAIT) > 0) {
    }
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

GuardedServer::GuardedServer(ConnectionLimits limits, Metrics &metrics) : limits_(limits), metrics_(metrics) {
    metrics_.declare(kOpen, Metrics::Type::gauge, "Client connections open on the HTTP listener.");
    metrics_.declare(kRefused, Metrics::Type::counter, "Connections answered 503 because the listener was full.");
    metrics_.declare(kTimedOut, Metrics::Type::counter, "Requests cut (408) for arriving too slowly.");
    metrics_.set(kOpen, {}, 0);
    set_socket_options(exclusive_listener);
    new_task_queue = [this] {
        return new ConnectionPool(limits_.max_connections, [](const std::function<void()> &connection) {
            refusing = true;
            connection();  // calls process_and_close_socket, which refuses
            refusing = false;
        });
    };
}

void GuardedServer::widen_listen_backlog() {
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);  // listen() again only resizes the queue
}

bool GuardedServer::process_and_close_socket(socket_t socket) {
    if (refusing) {
        refuse(socket);
    } else {
        count_open(+1);
        serve(socket);
        count_open(-1);
    }
    close_connection(socket);
    return true;
}

void GuardedServer::serve(socket_t socket) {
    const int on = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // else Nagle holds each answer ~40 ms
    DeadlineStream stream(socket, limits_, [this] { return svr_sock_ == INVALID_SOCKET; });
    for (size_t served = 0; served < keep_alive_max_count_ && stream.await_request(); ++served) {
        bool closed = false;
        const bool answered = process_request(stream, served + 1 == keep_alive_max_count_, closed, nullptr);
        if (stream.cut() != DeadlineStream::Cut::no) return answer_cut(stream);
        if (!answered || closed) return;
    }
}

void GuardedServer::refuse(socket_t socket) {
    metrics_.add(kRefused, {});
    discard_pending_input(socket);
    send_now(socket, raw_answer("503 Service Unavailable", "Retry-After: 1\r\n",
                                "The host is at its limit of " + std::to_string(limits_.max_connections) +
                                    " open connections; retry later."));
}

void GuardedServer::answer_cut(const DeadlineStream &stream) {
    const bool stopping = stream.cut() == DeadlineStream::Cut::stopping;
    if (!stopping) metrics_.add(kTimedOut, {});
    if (stream.wrote_since_request_start()) return;  // an answer was already under way
    discard_pending_input(stream.socket());
    if (stopping)
        return send_now(stream.socket(), raw_answer("503 Service Unavailable", "Retry-After: 1\r\n",
                                                    "The host is shutting down; retry."));
    send_now(stream.socket(),
             raw_answer("408 Request Timeout", "",
                        "The request did not arrive in time: at most " + std::to_string(limits_.read_timeout.count()) +
                            " ms of silence, and " + std::to_string(limits_.request_timeout.count()) +
                            " ms for the whole request."));
}

void GuardedServer::count_open(int change) {
    std::lock_guard lock(open_mutex_);
    open_ += change;
    metrics_.set(kOpen, {}, open_);
}

}  // namespace switchyard::http
