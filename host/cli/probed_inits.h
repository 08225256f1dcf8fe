// Every destination's init tried in plugin workers before `check` or `verify` makes one in this
// process: an init that crashes or hangs is a problem, not the end of the command.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/plugin/plugin_library.h"

namespace switchyard::cli {

struct ProbedInits {
    // "<file>:<line>: destination \"<id>\": plugins/x.so: crashed while initialising (SIGSEGV)"
    std::vector<std::string> problems;
    // The configuration without the destinations (and source overrides) whose init did not return:
    // safe to initialise here.
    Config safe;
};

// One worker per plugin initialises (and destroys) an instance with each destination's and each
// source override's completed settings; after a crash, a new worker goes on with the rest.
// Settings with problems are left to build_snapshot, which reports them.
ProbedInits probe_destination_inits(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins);

}  // namespace switchyard::cli
