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

    DeadlineStream(int socket, const ConnectionLimits &limits) : socket_(socket), limits_(limits) {}

    // Waits up to the idle timeout for the next request's first byte (true), or for EOF, the
    // timeout or `stopping()` (false). A started request must then be read by the request timeout.
    bool await_request(const std::function<bool()> &stopping);

    // The deadline passed or the client went silent: reads fail from then on, and so do
    // writes, so that nothing but the host's 408 is written afterwards.
    bool timed_out() const { return timed_out_; }
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
    bool wait_readable();  // within the read timeout and the request deadline; else marks timed out

    int socket_;
    const ConnectionLimits &limits_;
    Clock::time_point deadline_ = Clock::time_point::max();
    bool timed_out_ = false;
    bool wrote_ = false;
    // cpp-httplib reads request lines a byte at a time: a buffer saves a syscall per byte.
    std::array<char, 4096> buffer_{};
    size_t buffer_begin_ = 0;
    size_t buffer_end_ = 0;
};

}  // namespace switchyard::http
