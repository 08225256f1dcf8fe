// A loopback port that accepts TCP connections (the kernel's backlog) but never answers: requests
// to it hang until the client's timeout.
#pragma once

#include <sys/socket.h>

#include <stdexcept>
#include <string>

#include "unlistened_port.h"

namespace switchyard::testing {

class BlackHole {
   public:
    BlackHole() {
        if (::listen(port_.fd(), 128) != 0) throw std::runtime_error("black hole: cannot listen");
    }
    std::string base_url() const { return port_.url("/api/"); }

   private:
    UnlistenedPort port_;  // listened on here, never accepted from
};

}  // namespace switchyard::testing
