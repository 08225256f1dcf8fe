// A raw loopback client socket for tests of what slow, silent or greedy HTTP clients do: every
// byte is spelled out, nothing is retried, and what the server answers is read until it closes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::testing {

class RawClient {
   public:
    // `from` is the client's own loopback address (127.0.0.2 is another client than 127.0.0.1).
    explicit RawClient(int port, const char *from = "127.0.0.1") : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in source{};
        source.sin_family = AF_INET;
        ::inet_pton(AF_INET, from, &source.sin_addr);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::bind(socket_, reinterpret_cast<sockaddr *>(&source), sizeof source) == 0 &&
                     ::connect(socket_, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    }
    ~RawClient() { ::close(socket_); }
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return connected_; }
    bool send(std::string_view bytes) { return ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()); }

    // What arrives until the server closes or `timeout` passes; `closed()` tells which.
    std::string read_until_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::string received;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd target{socket_, POLLIN, 0};
            if (::poll(&target, 1, 50) <= 0) continue;
            char buffer[4096];
            const ssize_t n = ::recv(socket_, buffer, sizeof buffer, 0);
            if (n <= 0) {
                closed_ = true;
                break;
            }
            received.append(buffer, static_cast<size_t>(n));
        }
        return received;
    }

    // One complete answer on a kept-alive connection (headers, then Content-Length bytes), or
    // what arrived before the server closed or 10 s passed.
    std::string read_answer() {
        std::string received;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!complete(received) && std::chrono::steady_clock::now() < deadline) {
            pollfd target{socket_, POLLIN, 0};
            if (::poll(&target, 1, 50) <= 0) continue;
            char buffer[4096];
            const ssize_t n = ::recv(socket_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            received.append(buffer, static_cast<size_t>(n));
        }
        return received;
    }

    bool closed() const { return closed_; }
    int socket() const { return socket_; }

   private:
    static bool complete(const std::string &answer) {
        const size_t body = answer.find("\r\n\r\n");
        if (body == std::string::npos) return false;
        const size_t length = answer.find("Content-Length: ");
        if (length == std::string::npos || length > body) return true;
        return answer.size() - body - 4 >= std::stoul(answer.substr(length + 16));
    }

    int socket_;
    bool connected_ = false;
    bool closed_ = false;
};

}  // namespace switchyard::testing
