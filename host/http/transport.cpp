// Plain TCP: recv and send that never block; discarding what a client sent.
#include "host/http/transport.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace switchyard::http {
namespace {

TransportIo outcome(ssize_t result, short would_block_on) {
    if (result >= 0) return {result, 0};
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {0, would_block_on};
    return {-1, 0};
}

}  // namespace

TransportIo PlainTransport::receive(char *into, size_t size) {
    return outcome(::recv(socket_, into, size, MSG_DONTWAIT), POLLIN);
}

TransportIo PlainTransport::send(const char *bytes, size_t size) {
    return outcome(::send(socket_, bytes, size, MSG_DONTWAIT | MSG_NOSIGNAL), POLLOUT);
}

void discard_pending_input(Transport &transport) {
    constexpr int kMostChunks = 256;  // 1 MiB: a client that keeps sending is not waited for
    char scratch[4096];
    for (int chunk = 0; chunk < kMostChunks && transport.receive(scratch, sizeof scratch).bytes > 0; ++chunk) {
    }
}

}  // namespace switchyard::http
