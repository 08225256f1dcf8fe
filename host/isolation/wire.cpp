// Frame I/O with deadlines (poll), and descriptor passing.
#include "host/isolation/wire.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace switchyard::wire {
namespace {

// The most a frame may claim: a corrupt length must not make the reader allocate gigabytes.
constexpr uint32_t kMaxFrameBytes = 1U << 30;

// Waits until `fd` can do `events` or the deadline passes.
Io wait_for(int fd, short events, Deadline deadline) {
    for (;;) {
        int timeout_ms = -1;
        if (deadline) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return Io::timed_out;
            timeout_ms = static_cast<int>(std::min<int64_t>(left.count(), INT32_MAX));
        }
        pollfd p{fd, events, 0};
        const int ready = ::poll(&p, 1, timeout_ms);
        if (ready > 0) return Io::done;
        if (ready == 0) return Io::timed_out;
        if (errno != EINTR) return Io::closed;
    }
}

Io write_all(int fd, const char *data, size_t size, Deadline deadline) {
    while (size > 0) {
        const ssize_t wrote = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (wrote > 0) {
            data += wrote;
            size -= static_cast<size_t>(wrote);
        } else if (wrote < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (Io waited = wait_for(fd, POLLOUT, deadline); waited != Io::done) return waited;
        } else {
            return Io::closed;
        }
    }
    return Io::done;
}

Io read_all(int fd, char *data, size_t size, Deadline deadline) {
    while (size > 0) {
        const ssize_t got = ::recv(fd, data, size, MSG_DONTWAIT);
        if (got > 0) {
            data += got;
            size -= static_cast<size_t>(got);
        } else if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (Io waited = wait_for(fd, POLLIN, deadline); waited != Io::done) return waited;
        } else {
            return Io::closed;  // 0: the other end closed (a worker that died)
        }
    }
    return Io::done;
}

}  // namespace

std::string &Writer::framed() {
    const auto length = static_cast<uint32_t>(out_.size() - sizeof(uint32_t));
    std::memcpy(out_.data(), &length, sizeof length);
    return out_;
}

std::string_view Reader::bytes() {
    const auto size = get<uint64_t>();
    if (size > rest_.size()) return fail(), std::string_view{};
    std::string_view out = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return out;
}

uint64_t Reader::count(size_t item_bytes) {
    const auto n = get<uint64_t>();
    if (n > rest_.size() / std::max<size_t>(item_bytes, 1)) return fail(), 0;
    return n;
}

Io write_frame(int fd, std::string_view framed, Deadline deadline) {
    return write_all(fd, framed.data(), framed.size(), deadline);
}

Io read_frame(int fd, std::string &message, Deadline deadline) {
    uint32_t length = 0;
    if (Io got = read_all(fd, reinterpret_cast<char *>(&length), sizeof length, deadline); got != Io::done) return got;
    if (length > kMaxFrameBytes) return Io::closed;
    message.resize(length);
    return read_all(fd, message.data(), length, deadline);
}

bool send_descriptor(int control, int fd) {
    char byte = 'c';
    iovec data{&byte, 1};
    alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = space;
    message.msg_controllen = sizeof space;
    cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
    ssize_t sent;
    do sent = ::sendmsg(control, &message, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    return sent == 1;
}

int receive_descriptor(int control) {
    char byte = 0;
    iovec data{&byte, 1};
    alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = space;
    message.msg_controllen = sizeof space;
    ssize_t got;
    do got = ::recvmsg(control, &message, MSG_CMSG_CLOEXEC);
    while (got < 0 && errno == EINTR);
    if (got <= 0) return -1;
    for (cmsghdr *header = CMSG_FIRSTHDR(&message); header != nullptr; header = CMSG_NXTHDR(&message, header))
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
            return fd;
        }
    return -1;
}

}  // namespace switchyard::wire
