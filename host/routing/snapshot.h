// The routing snapshot: immutable, complete picture of which sources exist and which live
// destination instances their events go to. Built whole, then swapped in one step.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/ingest/ingest_api.h"
#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {

struct LiveDestination {
    DestinationConfig config;
    std::shared_ptr<Destination> instance;
};

struct Snapshot {
    uint64_t generation = 0;
    std::shared_ptr<const SourceTable> sources;
    std::map<std::string, LiveDestination> destinations;  // by key "<workspace>/<id>"
};

struct SnapshotBuild {
    std::shared_ptr<const Snapshot> snapshot;  // null when there were problems
    std::vector<std::string> problems;
};

// Creates every destination's instance (its plugin validates the settings). All-or-nothing:
// any problem and no snapshot is returned, so a half-configured destination never runs.
SnapshotBuild build_snapshot(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                             uint64_t generation);

}  // namespace switchyard
