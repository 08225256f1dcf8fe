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
#include "host/isolation/worker_pools.h"
#include "host/metrics/metrics.h"
#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {

// A source whose override (workspace `{id, settings}`) gives the destination other plugin
// settings: its own instance, made from the merged settings (connection_settings.h).
struct LiveConnection {
    std::string settings_json;  // merged, as written: what a reload compares
    std::shared_ptr<Destination> instance;
};

struct LiveDestination {
    DestinationConfig config;
    std::shared_ptr<Destination> instance;
    // By source id. Events of every other source, and jobs stored without a source or of a source
    // since removed, go through `instance`.
    std::map<std::string, LiveConnection, std::less<>> connections;
    const std::shared_ptr<Destination> &instance_for(std::string_view source_id) const;
};

struct Snapshot {
    uint64_t generation = 0;
    std::shared_ptr<const SourceTable> sources;
    std::map<std::string, LiveDestination> destinations;  // by key "<workspace>/<id>"
    // Configured destinations whose plugin was removed from the plugin directory: their events
    // are still stored, nothing is delivered until the plugin is back. Key → why.
    std::map<std::string, std::string> suspended;
};

struct SnapshotBuild {
    std::shared_ptr<const Snapshot> snapshot;  // null when there were problems
    std::vector<std::string> problems;
    // What new instances' plugins warned about at init, "<file>:<line>: destination "<id>": <sentence>".
    std::vector<std::string> warnings;
};

// Creates every destination's instance, after registering the settings each plugin's schema
// marks secret (secret_settings.h) and checking each destination's settings against that schema
// (destination_settings.h): init receives them with the schema's defaults filled in. All-or-nothing:
// any problem and no snapshot is returned, so a half-configured destination never runs.
// A source's override is merged into its destination's settings per connection: the connection
// gets its own filter, and its own instance when the merged plugin settings differ.
// With the `previous` snapshot (a reload), a destination or connection whose plugin library and
// settings are unchanged keeps its instance, and one whose plugin was removed since is suspended. New
// instances count their plugin metrics into `metrics` when given. With `workers`, destinations with
// `isolation: process` get their instance in a plugin worker; without, every instance is in this process.
SnapshotBuild build_snapshot(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                             uint64_t generation, const Snapshot *previous = nullptr, Metrics *metrics = nullptr,
                             WorkerPools *workers = nullptr);

// Whether `a` and `b` route the same sources to the same instances (a reload that changed nothing).
bool same_routing(const Snapshot &a, const Snapshot &b);

}  // namespace switchyard
