// Picking a worker for a new instance, and forgetting pools whose plugin build is gone.
#include "host/isolation/worker_pools.h"

namespace switchyard {

std::shared_ptr<PluginWorker> WorkerPools::worker_for(const std::shared_ptr<const PluginLibrary> &plugin,
                                                      uint64_t memory_limit) {
    std::lock_guard lock(mutex_);
    std::erase_if(pools_, [](const auto &entry) { return entry.second.plugin.expired(); });
    Pool &pool = pools_[{plugin.get(), memory_limit}];
    pool.plugin = plugin;
    pool.workers.resize(kWorkersPerPool);
    std::shared_ptr<PluginWorker> chosen;
    for (std::weak_ptr<PluginWorker> &slot : pool.workers) {
        std::shared_ptr<PluginWorker> worker = slot.lock();
        if (!worker) {
            worker = std::make_shared<PluginWorker>(plugin, memory_limit);
            slot = worker;
        }
        if (!chosen || worker->instance_count() < chosen->instance_count()) chosen = worker;
    }
    return chosen;
}

}  // namespace switchyard
