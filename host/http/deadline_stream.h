// A cpp-httplib Stream over one accepted socket whose reads end at a deadline as well as after
// a silence: cpp-httplib's own stream only bounds each read, so a client that sends one byte
// every few seconds would hold a thread for as long as it likes.
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>

#include "host/http/connection_limits.h"

namespace switchyard::http {

class DeadlineStream final : public httplib::Stream {
   public:
    using Clock = std::chrono::steady_clock;

    // Why reading stopped early. Once cut, reads and writes fail, so that nothing but the
    // host's own answer (408, or 503 when stopping) is written afterwards.
    enum class Cut { no, timed_out, stopping };

    // `stopping()` tells the listener is shutting down: a request still arriving is cut.
    DeadlineStream(int socket, const ConnectionLimits &limits, std::function<bool()> stopping)
        : socket_(socket), limits_(limits), stopping_(std::move(stopping)) {}

    // Waits up to the idle timeout for the next request's first byte (true), or for EOF, the
    // timeout or stopping (false). A started request must then be read by the request timeout.
    bool await_request();

    Cut cut() const { return cut_; }
    bool wrote_since_request_start() const { return wrote_; }

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char *ptr, size_t size) override;
    ssize_t write(const char *ptr, size_t size) override;
    void get_remote_ip_and_port(std::string &ip, int &port) const override;
    void get_local_ip_and_port(std::string &ip, int &port) const override;
    socket_t socket() const override { return socket_; }

   private:
    bool buffered() const { return buffer_begin_ < buffer_end_; }
    bool wait_readable();  // within the read timeout and the request deadline, unless stopping; else cut

    int socket_;
    const ConnectionLimits &limits_;
    std::function<bool()> stopping_;
    Clock::time_point deadline_ = Clock::time_point::max();
    Cut cut_ = Cut::no;
    bool wrote_ = false;
    // cpp-httplib reads request lines a byte at a time: a buffer saves a syscall per byte.
    std::array<char, 4096> buffer_{};
    size_t buffer_begin_ = 0;
    size_t buffer_end_ = 0;
};

}  // namespace switchyard::http
