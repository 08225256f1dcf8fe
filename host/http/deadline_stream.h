// A cpp-httplib Stream over one accepted connection whose reads end at deadlines as well as
// after a silence: cpp-httplib's own stream only bounds each read, so a client that sends one
// byte every few seconds would hold a thread for as long as it likes. The line and headers
// have a budget of their own, shorter than the whole request's.
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>

#include "host/http/connection_limits.h"
#include "host/http/transport.h"

namespace switchyard::http {

class DeadlineStream final : public httplib::Stream {
   public:
    using Clock = std::chrono::steady_clock;

    // Why reading stopped early. Once cut, reads and writes fail, so that nothing but the
    // host's own answer (408, or 503 when stopping) is written afterwards.
    enum class Cut { no, timed_out, stopping };

    // `stopping()` tells the listener is shutting down: a request still arriving is cut.
    DeadlineStream(int socket, Transport &transport, const ConnectionLimits &limits, std::function<bool()> stopping)
        : socket_(socket), transport_(transport), limits_(limits), stopping_(std::move(stopping)) {}

    // Runs the transport's handshake within the header timeout; false when it failed or was cut.
    bool handshake();

    // Waits up to the idle timeout for the next request's first byte (true), or for EOF, the
    // timeout or stopping (false). A started request must then be read by the header and
    // request timeouts.
    bool await_request();

    // The request's line and headers are in: only the request timeout bounds the body.
    void headers_read() { headers_read_ = true; }

    Cut cut() const { return cut_; }
    bool wrote_since_request_start() const { return wrote_; }

    // Best effort, never waiting, even after a cut: for the host's own last answer.
    void send_now(const std::string &bytes);
    // What the client already sent is dropped (see transport.h), buffered bytes too.
    void discard_pending_input();

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char *ptr, size_t size) override;
    ssize_t write(const char *ptr, size_t size) override;
    void get_remote_ip_and_port(std::string &ip, int &port) const override;
    void get_local_ip_and_port(std::string &ip, int &port) const override;
    socket_t socket() const override { return socket_; }

   private:
    bool buffered() const { return buffer_begin_ < buffer_end_; }
    Clock::time_point deadline() const;
    ssize_t receive(char *into, size_t size);  // from the transport, waiting within the deadlines
    bool wait_until_ready(short events);       // within the read timeout and the deadline, unless stopping; else cut
    void start_deadlines(std::chrono::milliseconds request_budget);

    int socket_;
    Transport &transport_;
    const ConnectionLimits &limits_;
    std::function<bool()> stopping_;
    Clock::time_point request_deadline_ = Clock::time_point::max();
    Clock::time_point header_deadline_ = Clock::time_point::max();
    bool headers_read_ = false;
    Cut cut_ = Cut::no;
    bool wrote_ = false;
    // cpp-httplib reads request lines a byte at a time: a buffer saves a syscall per byte.
    std::array<char, 4096> buffer_{};
    size_t buffer_begin_ = 0;
    size_t buffer_end_ = 0;
};

}  // namespace switchyard::http
