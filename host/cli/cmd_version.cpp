// `switchyard version`: the host's version and the plugin ABI it speaks.
#include <iostream>

#include "host/cli/command.h"
#include "switchyard/plugin.h"

namespace switchyard::cli {
namespace {

int run_version(const Args &) {
    std::cout << "switchyard " << SWITCHYARD_VERSION << " (plugin ABI " << SY_ABI_MAJOR << "." << SY_ABI_MINOR
              << ")\n";
    return kExitOk;
}

}  // namespace

const Command kVersionCommand{"version", "Print the host's version and the plugin ABI it speaks.", {}, run_version};

}  // namespace switchyard::cli
