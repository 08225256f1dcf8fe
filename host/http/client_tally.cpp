// Per-address connection counts.
#include "host/http/client_tally.h"

namespace switchyard::http {

bool ClientTally::admit(int socket, const std::string &address) {
    std::lock_guard lock(mutex_);
    size_t &open = open_[address];  // the limit is at least 1, so a refusal leaves no 0 behind
    if (open >= limit_) return false;
    ++open;
    address_of_[socket] = address;
    return true;
}

void ClientTally::release(int socket) {
    std::lock_guard lock(mutex_);
    const auto admitted = address_of_.find(socket);
    if (admitted == address_of_.end()) return;
    if (--open_[admitted->second] == 0) open_.erase(admitted->second);
    address_of_.erase(admitted);
}

}  // namespace switchyard::http
