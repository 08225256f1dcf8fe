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

// Moves `size` bytes by `step(offset)` (one non-blocking send or recv of the rest), waiting for
// `events` whenever the socket is not ready.
template <class Step>
Io move_all(int fd, size_t size, short events, Deadline deadline, Step step) {
    for (size_t moved = 0; moved < size;) {
        const ssize_t now = step(moved);
        if (now > 0) {
            moved += static_cast<size_t>(now);
        } else if (now < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (Io waited = wait_for(fd, events, deadline); waited != Io::done) return waited;
        } else {
            return Io::closed;  // recv's 0: the other end closed (a worker that died)
        }
    }
    return Io::done;
}

Io write_all(int fd, const char *data, size_t size, Deadline deadline) {
    return move_all(fd, size, POLLOUT, deadline,
                    [&](size_t at) { return ::send(fd, data + at, size - at, MSG_NOSIGNAL | MSG_DONTWAIT); });
}

Io read_all(int fd, char *data, size_t size, Deadline deadline) {
    return move_all(fd, size, POLLIN, deadline, [&](size_t at) { return ::recv(fd, data + at, size - at, MSG_DONTWAIT); });
}

// One byte of data carrying room for one descriptor: what both ends of a descriptor pass use.
struct DescriptorMessage {
    char byte = 'c';
    iovec data{&byte, 1};
    alignas(cmsghdr) char space[CMSG_SPACE(sizeof(int))] = {};
    msghdr header{};
    DescriptorMessage() {
        header.msg_iov = &data;
        header.msg_iovlen = 1;
        header.msg_control = space;
        header.msg_controllen = sizeof space;
    }
    DescriptorMessage(const DescriptorMessage &) = delete;  // it points into itself
    DescriptorMessage &operator=(const DescriptorMessage &) = delete;
};

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
    DescriptorMessage message;
    cmsghdr *header = CMSG_FIRSTHDR(&message.header);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
    ssize_t sent;
    do sent = ::sendmsg(control, &message.header, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    return sent == 1;
}

int receive_descriptor(int control) {
    DescriptorMessage message;
    ssize_t got;
    do got = ::recvmsg(control, &message.header, MSG_CMSG_CLOEXEC);
    while (got < 0 && errno == EINTR);
    if (got <= 0) return -1;
    for (cmsghdr *header = CMSG_FIRSTHDR(&message.header); header != nullptr;
         header = CMSG_NXTHDR(&message.header, header))
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
            return fd;
        }
    return -1;
}

}  // namespace switchyard::wire
