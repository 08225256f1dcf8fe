// Where the plugin worker (host/worker/) is: the executable children run plugins in.
#pragma once

#include <filesystem>

namespace switchyard {

// "switchyard-worker" beside the running executable (a build tree, or a test binary given
// the built worker with set_worker_executable), else ../lib/switchyard/switchyard-worker from it,
// where `cmake --install` and the Debian package put it.
std::filesystem::path worker_executable();
// For tests and tools whose own executable is not beside the worker. Call before any child starts.
void set_worker_executable(std::filesystem::path executable);

}  // namespace switchyard
