// The flags `transform` and `send` share (--plugin-dir, --plugin, --settings, --mode, --batch),
// and turning them into a live destination.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/cli/args.h"
#include "host/plugin/destination.h"

namespace switchyard::cli {

inline constexpr Flag kDestinationFlags[5] = {
    {"plugin-dir", "DIR", "directory of plugin *.so files", "plugins/ beside the executable"},
    {"plugin", "NAME", "the plugin to use, by its name", ""},
    {"settings", "FILE", "the plugin's settings object, JSON or YAML", ""},
    {"mode", "MODE", "processor (one event at a time) or router (batches)", "processor"},
    {"batch", "N", "events per batch in router mode", "200"},
};

struct DestinationFlags {
    std::shared_ptr<Destination> destination;
    bool router_mode = false;
    size_t batch_size = 200;
};

// Loads the plugin, reads the settings and calls init. Prints one sentence to stderr and
// returns nullopt on any problem (exit code 2).
std::optional<DestinationFlags> open_destination(const Args &args);

// Reads up to `max` non-blank lines from stdin into `lines` (cleared first); false at end of input.
bool read_event_lines(size_t max, std::vector<std::string> &lines);

}  // namespace switchyard::cli
