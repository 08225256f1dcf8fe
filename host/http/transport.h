// The bytes of one accepted connection, moved without ever blocking: plain TCP here, TLS in
// tls_transport.h. DeadlineStream does all the waiting, within its deadlines.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace switchyard::http {

// What one attempt did: moved `bytes` (> 0), found the connection closed (0) or failed (< 0);
// or, when `wait_for` is set, could not go on until the socket reports those poll() events
// (POLLIN, POLLOUT), and must be tried again then with the same arguments.
struct TransportIo {
    ssize_t bytes = 0;
    short wait_for = 0;
};

class Transport {
   public:
    virtual ~Transport() = default;

    // Whatever must pass before requests can be read (a TLS handshake): `bytes` >= 0 once done.
    virtual TransportIo handshake() = 0;
    virtual TransportIo receive(char *into, size_t size) = 0;
    virtual TransportIo send(const char *bytes, size_t size) = 0;
    // Bytes already taken off the socket but not yet received (decrypted TLS records).
    virtual bool has_buffered_input() const = 0;
};

class PlainTransport final : public Transport {
   public:
    explicit PlainTransport(int socket) : socket_(socket) {}

    TransportIo handshake() override { return {}; }
    TransportIo receive(char *into, size_t size) override;
    TransportIo send(const char *bytes, size_t size) override;
    bool has_buffered_input() const override { return false; }

   private:
    int socket_;
};

// Reads what the client already sent, without waiting, so that closing does not reset the
// connection (a reset can make the client lose the answer it was just sent).
void discard_pending_input(Transport &transport);

}  // namespace switchyard::http
