// Reads bounded by a silence and by the header and request deadlines; writes bounded by a silence.
#include "host/http/deadline_stream.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "host/http/socket_address.h"

namespace switchyard::http {
namespace {

constexpr std::chrono::milliseconds kStopCheckInterval{100};

// poll() for `events`, retried on EINTR: > 0 ready, 0 timed out, < 0 failed.
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

}  // namespace

void DeadlineStream::start_deadlines(std::chrono::milliseconds request_budget) {
    const Clock::time_point now = Clock::now();
    request_deadline_ = now + request_budget;
    header_deadline_ = now + limits_.header_timeout;
    headers_read_ = false;
}

DeadlineStream::Clock::time_point DeadlineStream::deadline() const {
    return headers_read_ ? request_deadline_ : std::min(request_deadline_, header_deadline_);
}

bool DeadlineStream::handshake() {
    start_deadlines(limits_.header_timeout);
    for (;;) {
        const TransportIo io = transport_.handshake();
        if (io.wait_for == 0) return io.bytes >= 0;
        if (!wait_until_ready(io.wait_for)) return false;
    }
}

bool DeadlineStream::await_request() {
    wrote_ = false;
    const Clock::time_point idle_until = Clock::now() + limits_.idle_timeout;
    // A request already on its way is taken even when stopping: it gets an answer, not a reset.
    for (std::chrono::milliseconds slice{0}; !buffered() && !transport_.has_buffered_input();
         slice = std::min(until(idle_until), kStopCheckInterval)) {
        const int ready = wait_for(socket_, POLLIN, slice);
        if (ready > 0) break;  // a byte, or EOF: reading tells which
        if (ready < 0 || stopping_() || until(idle_until).count() <= 0) return false;
    }
    start_deadlines(limits_.request_timeout);
    return true;
}

// Waits in slices, so that a shutdown never waits for a slow client's timeouts; what has
// already arrived is still read while stopping.
bool DeadlineStream::wait_until_ready(short events) {
    const Clock::time_point silent_until = Clock::now() + limits_.read_timeout;
    while (cut_ == Cut::no) {
        const std::chrono::milliseconds left = std::min(until(deadline()), until(silent_until));
        if (left.count() <= 0) {  // a client that keeps sending slowly is cut here too
            cut_ = Cut::timed_out;
            break;
        }
        const int ready = wait_for(socket_, events, std::min(left, kStopCheckInterval));
        if (ready != 0) return ready > 0;
        if (stopping_()) cut_ = Cut::stopping;
    }
    return false;
}

ssize_t DeadlineStream::receive(char *into, size_t size) {
    while (cut_ == Cut::no) {
        const TransportIo io = transport_.receive(into, size);
        if (io.wait_for == 0) return io.bytes;
        if (!wait_until_ready(io.wait_for)) break;
    }
    return -1;
}

bool DeadlineStream::is_readable() const {
    return buffered() || transport_.has_buffered_input() ||
           (cut_ == Cut::no && wait_for(socket_, POLLIN, std::min(until(deadline()), limits_.read_timeout)) > 0);
}

bool DeadlineStream::is_writable() const {
    return cut_ == Cut::no && wait_for(socket_, POLLOUT, limits_.write_timeout) > 0;
}

ssize_t DeadlineStream::read(char *ptr, size_t size) {
    if (!buffered()) {
        if (size >= buffer_.size()) return receive(ptr, size);  // large reads skip the copy
        const ssize_t received = receive(buffer_.data(), buffer_.size());
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
    if (cut_ != Cut::no) return -1;
    wrote_ = true;
    for (;;) {
        const TransportIo io = transport_.send(ptr, size);
        if (io.wait_for == 0) return io.bytes;
        if (wait_for(socket_, io.wait_for, limits_.write_timeout) <= 0) return -1;
    }
}

void DeadlineStream::send_now(const std::string &bytes) { (void)transport_.send(bytes.data(), bytes.size()); }

void DeadlineStream::discard_pending_input() {
    buffer_begin_ = buffer_end_ = 0;
    http::discard_pending_input(transport_);
}

void DeadlineStream::get_remote_ip_and_port(std::string &ip, int &port) const { peer_ip_and_port(socket_, ip, port); }

void DeadlineStream::get_local_ip_and_port(std::string &ip, int &port) const { local_ip_and_port(socket_, ip, port); }

}  // namespace switchyard::http
