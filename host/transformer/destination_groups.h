// A call's items sorted by destination (ID and Config), each group transformed in one plugin
// call: rudder-server batches events of several destinations of one type together.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "host/transformer/destination_cache.h"
#include "host/transformer/envelope.h"

namespace switchyard::transformer {

struct DestinationGroup {
    std::vector<size_t> positions;  // of its items in the call, in the call's order
    Instance instance;
};

// Items with a `problem` belong to no group.
std::vector<DestinationGroup> group_by_destination(const std::vector<EnvelopeItem> &items,
                                                   const std::shared_ptr<const PluginLibrary> &plugin,
                                                   DestinationCache &cache);

// The group's events through its instance; event indexes in the result are positions in the group.
TransformResult transform_group(const DestinationGroup &group, const std::vector<EnvelopeItem> &items,
                                uint32_t max_events_per_request);

}  // namespace switchyard::transformer
