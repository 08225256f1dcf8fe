// What the host advises every plugin instance about outbound connections (sy_host_api 2.1): one
// value per process, set at start (serve's flags; a plugin worker's from its command line) and
// read whenever an instance is made.
#pragma once

#include <cstdint>

namespace switchyard {

struct ConnectionAdvice {
    uint32_t connections_per_host = 0;        // 0: no advice (the plugin's own default)
    uint32_t idle_connection_timeout_ms = 0;  // 0: no advice
};

// Before the first instance is made: instances made earlier keep what they were given.
void advise_connections(ConnectionAdvice advice);
ConnectionAdvice connection_advice();

}  // namespace switchyard
