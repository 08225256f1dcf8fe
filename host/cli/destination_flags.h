// The flags `transform` and `send` share (--plugin-dir, --plugin, --settings, --mode, --batch),
// and turning them into a live destination.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "host/cli/args.h"
#include "host/cli/command.h"
#include "host/plugin/destination.h"

namespace switchyard::cli {

inline constexpr Flag kDestinationFlags[5] = {
    kPluginDirFlag,
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

// One batch of stdin's NDJSON events: their texts, the input index of the first, the batch number.
struct EventBatch {
    std::span<const sy_str_view> events;
    size_t first_index;
    size_t number;
};

// Reads stdin in batches of `batch_size` non-blank lines and calls `handle` with each.
void for_each_event_batch(size_t batch_size, const std::function<void(const EventBatch &)> &handle);

}  // namespace switchyard::cli
