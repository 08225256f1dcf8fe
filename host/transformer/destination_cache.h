// Plugin instances for the destinations rudder-server names, made from each item's
// destination.Config and kept by destination ID: a later call with the same Config reuses the
// instance, one with another Config replaces it (rudder-server sends the config with every call).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "host/plugin/destination.h"

namespace switchyard::transformer {

struct Instance {
    std::shared_ptr<const Destination> destination;  // null when the config was refused
    std::string refusal;                             // one sentence, never quoting a setting's value
};

class DestinationCache {
   public:
    // Bounds the memory a caller cycling through destination IDs can take.
    static constexpr size_t kMaxInstances = 4096;

    Instance get(const std::shared_ptr<const PluginLibrary> &plugin, const std::string &destination_id,
                 std::string_view config);

   private:
    struct Entry {
        size_t config_hash = 0;
        std::string config;
        Instance instance;
    };
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;  // by "<plugin>/<destination id>"
};

// Builds an instance from a RudderStack destination Config: the keys the plugin's settings schema
// does not know (a pasted config carries the UI's keys of every destination) are dropped, the rest
// is checked against the schema with its defaults, then given to the plugin's init.
Instance make_instance(const std::shared_ptr<const PluginLibrary> &plugin, const std::string &destination_id,
                       std::string_view config);

}  // namespace switchyard::transformer
