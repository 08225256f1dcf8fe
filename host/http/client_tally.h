// Connections open per client address, so that one address (a slowloris, a runaway SDK pool)
// cannot take every slot of the listener.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace switchyard::http {

class ClientTally {
   public:
    explicit ClientTally(size_t per_client_limit) : limit_(per_client_limit) {}

    // Counts `socket` for `address`; false (and nothing counted) when that address already has
    // the limit open.
    bool admit(int socket, const std::string &address);
    // Uncounts an admitted socket; call before closing it, as the number may be reused.
    void release(int socket);

   private:
    const size_t limit_;
    std::mutex mutex_;
    std::map<std::string, size_t> open_;       // by address; an address at 0 is erased
    std::map<int, std::string> address_of_;  // by admitted socket
};

}  // namespace switchyard::http
