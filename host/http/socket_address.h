// The numeric addresses of a connected socket's two ends, as cpp-httplib reports them.
#pragma once

#include <string>

namespace switchyard::http {

// Each leaves `ip` and `port` as they were when the address cannot be had (the peer is gone).
void peer_ip_and_port(int socket, std::string &ip, int &port);
void local_ip_and_port(int socket, std::string &ip, int &port);

// The peer's numeric address ("127.0.0.2", "::1"), or empty when it cannot be had.
std::string peer_ip(int socket);

}  // namespace switchyard::http
