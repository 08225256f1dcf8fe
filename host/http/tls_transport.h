// TLS over one accepted socket (OpenSSL), never blocking: the socket is made non-blocking and
// each call says which socket event to wait for when it cannot go on.
#pragma once

#include <openssl/ssl.h>

#include "host/http/tls_context.h"
#include "host/http/transport.h"

namespace switchyard::http {

class TlsTransport final : public Transport {
   public:
    TlsTransport(const TlsContext &context, int socket);
    ~TlsTransport() override;  // sends close_notify when the session is sound, without waiting
    TlsTransport(const TlsTransport &) = delete;
    TlsTransport &operator=(const TlsTransport &) = delete;

    TransportIo handshake() override;
    TransportIo receive(char *into, size_t size) override;
    TransportIo send(const char *bytes, size_t size) override;
    bool has_buffered_input() const override;

    // The handshake failed because the client spoke plain HTTP to this port.
    bool plain_http_spoken() const { return plain_http_; }

   private:
    TransportIo outcome(int result);

    SSL *ssl_;
    bool broken_ = false;  // a fatal TLS error: no close_notify may follow
    bool plain_http_ = false;
};

}  // namespace switchyard::http
