// The process's connection advice: written once at start, read from any thread.
#include "host/plugin/connection_advice.h"

#include <atomic>

namespace switchyard {
namespace {

std::atomic<uint32_t> connections_per_host{0};
std::atomic<uint32_t> idle_connection_timeout_ms{0};

}  // namespace

void advise_connections(ConnectionAdvice advice) {
    connections_per_host = advice.connections_per_host;
    idle_connection_timeout_ms = advice.idle_connection_timeout_ms;
}

ConnectionAdvice connection_advice() { return {connections_per_host, idle_connection_timeout_ms}; }

}  // namespace switchyard
