// SSL_accept, SSL_read and SSL_write on a non-blocking socket.
#include "host/http/tls_transport.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>

#include <climits>
#include <algorithm>

namespace switchyard::http {

TlsTransport::TlsTransport(const TlsContext &context, int socket) : ssl_(SSL_new(context.native())) {
    ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL) | O_NONBLOCK);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, socket) != 1) broken_ = true;
}

TlsTransport::~TlsTransport() {
    if (ssl_ == nullptr) return;
    ERR_clear_error();
    if (!broken_ && SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
    SSL_free(ssl_);
}

// OpenSSL keeps errors per thread; each call starts from a clear queue so that it reads its own.
TransportIo TlsTransport::handshake() {
    if (broken_) return {-1, 0};
    ERR_clear_error();
    const int result = SSL_accept(ssl_);
    if (result == 1) return {0, 0};
    const TransportIo io = outcome(result);
    plain_http_ = io.bytes < 0 && ERR_GET_REASON(ERR_peek_error()) == SSL_R_HTTP_REQUEST;
    return io;
}

TransportIo TlsTransport::receive(char *into, size_t size) {
    if (broken_) return {-1, 0};
    ERR_clear_error();
    const int result = SSL_read(ssl_, into, static_cast<int>(std::min<size_t>(size, INT_MAX)));
    return result > 0 ? TransportIo{result, 0} : outcome(result);
}

TransportIo TlsTransport::send(const char *bytes, size_t size) {
    if (broken_) return {-1, 0};
    ERR_clear_error();
    const int result = SSL_write(ssl_, bytes, static_cast<int>(std::min<size_t>(size, INT_MAX)));
    return result > 0 ? TransportIo{result, 0} : outcome(result);
}

bool TlsTransport::has_buffered_input() const { return ssl_ != nullptr && SSL_pending(ssl_) > 0; }

TransportIo TlsTransport::outcome(int result) {
    switch (SSL_get_error(ssl_, result)) {
        case SSL_ERROR_WANT_READ:
            return {0, POLLIN};
        case SSL_ERROR_WANT_WRITE:
            return {0, POLLOUT};
        case SSL_ERROR_ZERO_RETURN:  // the client's close_notify
            return {0, 0};
        default:
            broken_ = true;
            return {-1, 0};
    }
}

}  // namespace switchyard::http
