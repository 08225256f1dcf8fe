// A loopback port on which nothing listens: bound and never listened on, so a connection is
// refused for as long as the object lives (no other process can take the port meanwhile).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace switchyard::testing {

class UnlistenedPort {
   public:
    UnlistenedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd_, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            throw std::runtime_error("cannot bind a loopback port");
        port_ = ntohs(address.sin_port);
    }
    ~UnlistenedPort() { ::close(fd_); }
    UnlistenedPort(const UnlistenedPort &) = delete;
    UnlistenedPort &operator=(const UnlistenedPort &) = delete;

    int fd() const { return fd_; }
    // "http://127.0.0.1:<port><path>"
    std::string url(const std::string &path = "/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

   private:
    int fd_;
    int port_ = 0;
};

}  // namespace switchyard::testing
