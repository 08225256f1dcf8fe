// Making a snapshot's new destination instances all at once: a host with thousands of
// destinations makes them a batch per plugin worker and one probe child per plugin, not a round
// trip (or a child process) per destination.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/config/workspace.h"
#include "host/isolation/worker_pools.h"
#include "host/metrics/metrics.h"
#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {

struct InstanceOrder {
    DestinationConfig settings;  // the destination's, or a connection's merged ones
    std::shared_ptr<const PluginLibrary> plugin;
    std::string completed_json;  // checked against the plugin's schema, defaults filled in
    std::shared_ptr<Destination> *slot;  // where the instance goes: a node of the snapshot being built
};

// Fills every order's slot, or adds its problem ("<file>:<line>: destination \"x\": <why>") to
// `problems`; what new instances warned about at init goes to `warnings`, in the orders' order.
// With `workers`, an order with `isolation: process` is made in a plugin worker, and one with
// `isolation: in-process` here only after its init returned in a child (an init that crashes
// must not take the host down); without, every instance is made here.
void make_instances(const std::vector<InstanceOrder> &orders, Metrics *metrics, WorkerPools *workers,
                    std::vector<std::string> &problems, std::vector<std::string> &warnings);

}  // namespace switchyard
