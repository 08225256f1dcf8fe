// The plugin workers of a host: a few per plugin build and memory limit, each holding the
// instances of many destinations, so that a crash stops only the destinations of one worker.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "host/isolation/plugin_worker.h"

namespace switchyard {

class WorkerPools {
   public:
    // Workers per plugin build and memory limit. Two: a crash pauses half of a plugin's
    // destinations, and a host with many plugins does not run hundreds of processes.
    static constexpr size_t kWorkersPerPool = 2;

    // The worker of `plugin`'s pool with the fewest instances, started when its first instance is
    // made. Workers live as long as a destination holds them.
    std::shared_ptr<PluginWorker> worker_for(const std::shared_ptr<const PluginLibrary> &plugin, uint64_t memory_limit);

   private:
    struct Pool {
        std::weak_ptr<const PluginLibrary> plugin;  // the key's address is this build's only while it lives
        std::vector<std::weak_ptr<PluginWorker>> workers;
    };
    std::mutex mutex_;
    std::map<std::pair<const PluginLibrary *, uint64_t>, Pool> pools_;
};

}  // namespace switchyard
