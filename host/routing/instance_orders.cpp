// Making many destination instances at once (instance_orders.h).
#include "host/routing/instance_orders.h"

#include <algorithm>
#include <map>
#include <utility>

#include "host/isolation/isolated_destination.h"
#include "host/isolation/load_probe.h"
#include "host/routing/connection_settings.h"

namespace switchyard {
namespace {

// Inits sent down a worker's channel together: their answers are small, and a batch this size
// still spreads a big start over a pool's workers (each batch goes to the least loaded one).
constexpr size_t kInitsPerBatch = 64;

struct Outcome {
    std::shared_ptr<Destination> instance;
    std::string error;
};

bool in_worker(const InstanceOrder &o, const WorkerPools *workers) {
    return workers != nullptr && o.settings.containment.isolation == Containment::Isolation::process;
}

// The orders of `indexes` in plugin workers, a batch at a time, all of one plugin build and memory limit.
void make_in_workers(const std::vector<InstanceOrder> &orders, const std::vector<size_t> &indexes, Metrics *metrics,
                     WorkerPools &workers, std::vector<Outcome> &out) {
    for (size_t first = 0; first < indexes.size(); first += kInitsPerBatch) {
        const size_t end = std::min(first + kInitsPerBatch, indexes.size());
        const InstanceOrder &one = orders[indexes[first]];
        std::vector<IsolatedDestination::Order> batch;
        for (size_t i = first; i < end; ++i) {
            const InstanceOrder &o = orders[indexes[i]];
            batch.push_back({o.settings.key(), o.completed_json, o.settings.containment.deadlines()});
        }
        auto worker = workers.worker_for(one.plugin, one.settings.containment.memory_limit);
        std::vector<IsolatedDestination::Made> made = IsolatedDestination::create_all(worker, one.plugin, batch, metrics);
        for (size_t i = first; i < end; ++i)
            out[indexes[i]] = {std::move(made[i - first].instance), std::move(made[i - first].error)};
    }
}

// Tries the inits of `indexes` (all of one plugin) in probe children, one child for all of them
// until one crashes or hangs: that one gets the child's sentence, the rest go on in a new child.
void probe_inits(const std::vector<InstanceOrder> &orders, const std::vector<size_t> &indexes, std::vector<Outcome> &out) {
    const PluginLibrary &plugin = *orders[indexes.front()].plugin;
    for (size_t next = 0; next < indexes.size();) {
        std::vector<std::string> settings;
        for (size_t i = next; i < indexes.size(); ++i) settings.push_back(orders[indexes[i]].completed_json);
        const ProbeOutcome tried = probe_plugin(plugin.loaded_from(), plugin.path(), settings);
        if (tried.refusal.empty()) return;
        const size_t culprit = next + tried.init_refusals.size();
        if (culprit >= indexes.size()) return;
        out[indexes[culprit]].error = tried.refusal;
        next = culprit + 1;
    }
}

}  // namespace

void make_instances(const std::vector<InstanceOrder> &orders, Metrics *metrics, WorkerPools *workers,
                    std::vector<std::string> &problems, std::vector<std::string> &warnings) {
    std::vector<Outcome> out(orders.size());
    std::map<std::pair<const PluginLibrary *, uint64_t>, std::vector<size_t>> for_workers;  // by plugin and memory limit
    std::map<const PluginLibrary *, std::vector<size_t>> to_probe;
    for (size_t i = 0; i < orders.size(); ++i) {
        const PluginLibrary *plugin = orders[i].plugin.get();
        if (in_worker(orders[i], workers)) for_workers[{plugin, orders[i].settings.containment.memory_limit}].push_back(i);
        else if (workers != nullptr) to_probe[plugin].push_back(i);
    }
    for (const auto &[pool, indexes] : for_workers) make_in_workers(orders, indexes, metrics, *workers, out);
    for (const auto &[plugin, indexes] : to_probe) probe_inits(orders, indexes, out);
    for (size_t i = 0; i < orders.size(); ++i)
        if (!in_worker(orders[i], workers) && out[i].error.empty())
            out[i].instance = Destination::create(orders[i].plugin, orders[i].settings.key(), orders[i].completed_json,
                                                  out[i].error, metrics);
    for (size_t i = 0; i < orders.size(); ++i) {
        const std::string where = orders[i].settings.origin.where() + ": " + settings_owner(orders[i].settings) + ": ";
        if (!out[i].instance) {
            problems.push_back(where + out[i].error);
            continue;
        }
        for (const std::string &warning : out[i].instance->init_warnings()) warnings.push_back(where + warning);
        *orders[i].slot = std::move(out[i].instance);
    }
}

}  // namespace switchyard
