// A loopback port that accepts TCP connections (the kernel's backlog) but never answers: requests
// to it hang until the client's timeout.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace switchyard::testing {

class BlackHole {
   public:
    BlackHole() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr *>(&address), length) != 0 || ::listen(fd_, 128) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            throw std::runtime_error("black hole: cannot listen");
        port_ = ntohs(address.sin_port);
    }
    ~BlackHole() { ::close(fd_); }
    BlackHole(const BlackHole &) = delete;
    BlackHole &operator=(const BlackHole &) = delete;
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/"; }

   private:
    int fd_;
    int port_ = 0;
};

}  // namespace switchyard::testing
