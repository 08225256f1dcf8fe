// Reads bounded by a silence and by the request's deadline; writes bounded by a silence.
#include "host/http/deadline_stream.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>

namespace switchyard::http {
namespace {

constexpr std::chrono::milliseconds kStopCheckInterval{100};

// poll() for one event, retried on EINTR: > 0 ready, 0 timed out, < 0 failed.
int wait_for(int socket, short events, std::chrono::milliseconds timeout) {
    pollfd target{socket, events, 0};
    for (;;) {
        const int ready = ::poll(&target, 1, static_cast<int>(std::max<int64_t>(timeout.count(), 0)));
        if (ready >= 0 || errno != EINTR) return ready;
    }
}

std::chrono::milliseconds until(DeadlineStream::Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - DeadlineStream::Clock::now());
}

void numeric_address(const sockaddr_storage &address, socklen_t length, std::string &ip, int &port) {
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr *>(&address), length, host, sizeof host, service, sizeof service,
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    ip = host;
    std::from_chars(service, service + std::strlen(service), port);
}

}  // namespace

bool DeadlineStream::await_request() {
    wrote_ = false;
    const Clock::time_point idle_until = Clock::now() + limits_.idle_timeout;
    // A request already on its way is taken even when stopping: it gets an answer, not a reset.
    for (std::chrono::milliseconds slice{0}; !buffered(); slice = std::min(until(idle_until), kStopCheckInterval)) {
        const int ready = wait_for(socket_, POLLIN, slice);
        if (ready > 0) break;  // a byte, or EOF: reading tells which
        if (ready < 0 || stopping_() || until(idle_until).count() <= 0) return false;
    }
    deadline_ = Clock::now() + limits_.request_timeout;
    return true;
}

// Waits in slices, so that a shutdown never waits for a slow client's timeouts; what has
// already arrived is still read while stopping.
bool DeadlineStream::wait_readable() {
    const Clock::time_point silent_until = Clock::now() + limits_.read_timeout;
    while (cut_ == Cut::no) {
        const std::chrono::milliseconds left = std::min(until(deadline_), until(silent_until));
        if (left.count() <= 0) {  // a client that keeps sending slowly is cut here too
            cut_ = Cut::timed_out;
            break;
        }
        const int ready = wait_for(socket_, POLLIN, std::min(left, kStopCheckInterval));
        if (ready != 0) return ready > 0;
        if (stopping_()) cut_ = Cut::stopping;
    }
    return false;
}

bool DeadlineStream::is_readable() const {
    return buffered() ||
           (cut_ == Cut::no && wait_for(socket_, POLLIN, std::min(until(deadline_), limits_.read_timeout)) > 0);
}

bool DeadlineStream::is_writable() const {
    return cut_ == Cut::no && wait_for(socket_, POLLOUT, limits_.write_timeout) > 0;
}

ssize_t DeadlineStream::read(char *ptr, size_t size) {
    if (!buffered()) {
        if (!wait_readable()) return -1;
        if (size >= buffer_.size()) return ::recv(socket_, ptr, size, 0);  // large reads skip the copy
        const ssize_t received = ::recv(socket_, buffer_.data(), buffer_.size(), 0);
        if (received <= 0) return received;
        buffer_begin_ = 0;
        buffer_end_ = static_cast<size_t>(received);
    }
    const size_t n = std::min(size, buffer_end_ - buffer_begin_);
    std::memcpy(ptr, buffer_.data() + buffer_begin_, n);
    buffer_begin_ += n;
    return static_cast<ssize_t>(n);
}

ssize_t DeadlineStream::write(const char *ptr, size_t size) {
    if (!is_writable()) return -1;
    wrote_ = true;
    return ::send(socket_, ptr, size, MSG_NOSIGNAL);
}

void DeadlineStream::get_remote_ip_and_port(std::string &ip, int &port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(socket_, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        numeric_address(address, length, ip, port);
}

void DeadlineStream::get_local_ip_and_port(std::string &ip, int &port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(socket_, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        numeric_address(address, length, ip, port);
}

}  // namespace switchyard::http
