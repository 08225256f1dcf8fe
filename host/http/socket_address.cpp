// Numeric addresses from getpeername/getsockname.
#include "host/http/socket_address.h"

#include <netdb.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

namespace switchyard::http {
namespace {

using NameOf = int (*)(int, sockaddr *, socklen_t *);

void numeric_address(int socket, NameOf name_of, std::string &ip, int &port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (name_of(socket, reinterpret_cast<sockaddr *>(&address), &length) != 0) return;
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr *>(&address), length, host, sizeof host, service, sizeof service,
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    ip = host;
    std::from_chars(service, service + std::strlen(service), port);
}

}  // namespace

void peer_ip_and_port(int socket, std::string &ip, int &port) { numeric_address(socket, ::getpeername, ip, port); }

void local_ip_and_port(int socket, std::string &ip, int &port) { numeric_address(socket, ::getsockname, ip, port); }

std::string peer_ip(int socket) {
    std::string ip;
    int port = 0;
    peer_ip_and_port(socket, ip, port);
    return ip;
}

}  // namespace switchyard::http
