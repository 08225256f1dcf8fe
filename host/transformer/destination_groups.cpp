// Grouping a call's items by destination (see destination_groups.h).
#include "host/transformer/destination_groups.h"

#include <string>
#include <unordered_map>

namespace switchyard::transformer {

std::vector<DestinationGroup> group_by_destination(const std::vector<EnvelopeItem> &items,
                                                   const std::shared_ptr<const PluginLibrary> &plugin,
                                                   DestinationCache &cache) {
    std::vector<DestinationGroup> groups;
    std::unordered_map<std::string, size_t> group_of;  // "<ID>\0<Config>" → index in groups
    const EnvelopeItem *last = nullptr;                 // the previous grouped item
    size_t last_group = 0;
    for (size_t i = 0; i < items.size(); ++i) {
        const EnvelopeItem &item = items[i];
        if (!item.problem.empty()) continue;
        // rudder-server sends runs of items of one destination: the envelope gives them one Config slice.
        if (last == nullptr || item.config.data() != last->config.data() || item.destination_id != last->destination_id) {
            std::string key = item.destination_id;
            key += '\0';
            key += item.config;
            auto [it, added] = group_of.try_emplace(std::move(key), groups.size());
            if (added) groups.push_back({{}, cache.get(plugin, item.destination_id, item.config)});
            last_group = it->second;
        }
        groups[last_group].positions.push_back(i);
        last = &item;
    }
    return groups;
}

TransformResult transform_group(const DestinationGroup &group, const std::vector<EnvelopeItem> &items,
                                uint32_t max_events_per_request) {
    std::vector<sy_borrowed_str> events;
    events.reserve(group.positions.size());
    for (size_t position : group.positions) events.push_back({items[position].message.data(), items[position].message.size()});
    return group.instance.destination->transform(events, max_events_per_request);
}

}  // namespace switchyard::transformer
