// POST /routerTransform (see endpoints.h): each destination's events batched by its plugin as the
// host's router batches them (each user's order kept); a failed event gets its own entry.
#include <vector>

#include "host/json/json_text.h"
#include "host/transformer/destination_groups.h"
#include "host/transformer/endpoints.h"
#include "host/transformer/rudder_answer.h"

namespace switchyard::transformer {
namespace {

struct RouterCall {
    const std::vector<EnvelopeItem> &items;
    std::string dest_type;
    std::string out = R"({"output":[)";

    void open_entry() {
        if (out.back() != '[') out += ',';
    }
    void append_metadata_list(const std::vector<size_t> &positions) {
        out += R"("metadata":[)";
        for (size_t k = 0; k < positions.size(); ++k) {
            if (k > 0) out += ',';
            const std::string_view metadata = items[positions[k]].metadata;
            out.append(metadata.empty() ? "null" : metadata);  // as JavaScript writes an undefined element
        }
        out += "],";
    }
    void append_destination(size_t position) {
        const std::string_view destination = items[position].destination;
        if (destination.empty()) return;
        out += R"(,"destination":)";
        out.append(destination);
    }

    void request_entry(const RequestRead &request, const std::vector<size_t> &positions) {
        open_entry();
        out += R"({"batchedRequest":)";
        append_rudder_request(out, request, UserIdField::without);
        out += ',';
        append_metadata_list(positions);
        out += positions.size() > 1 ? R"("batched":true,"statusCode":200)" : R"("batched":false,"statusCode":200)";
        append_destination(positions.front());
        out += '}';
    }

    void error_entry(const std::vector<size_t> &positions, const ItemError &error) {
        const EnvelopeItem &first = items[positions.front()];
        open_entry();
        out += '{';
        append_metadata_list(positions);
        out += R"("batched":false,"statusCode":)" + std::to_string(error.status) + R"(,"error":)";
        json::append_string(out, error.message);
        out += R"(,"statTags":)";
        const MetadataIds ids = metadata_ids(first.metadata);
        append_stat_tags(out, error.kind, {dest_type, "router", ids.destination_id, ids.workspace_id});
        append_destination(positions.front());
        out += '}';
    }

    void group_entries(const DestinationGroup &group, uint32_t max_events) {
        if (!group.instance.destination)
            return error_entry(group.positions, {400, group.instance.refusal, ErrorKind::configuration});
        const TransformResult result = transform_group(group, items, max_events);
        if (!result) return error_entry(group.positions, {500, result.problem(), ErrorKind::platform});
        std::vector<bool> answered(group.positions.size(), false);
        for (const RequestRead &request : result->requests) {
            std::vector<size_t> positions;
            for (uint32_t index : request.event_indexes)
                if (index < group.positions.size()) positions.push_back(group.positions[index]), answered[index] = true;
            if (!positions.empty()) request_entry(request, positions);
        }
        for (const EventErrorRead &error : result->errors)
            if (error.event_index < group.positions.size()) {
                const size_t position = group.positions[error.event_index];
                answered[error.event_index] = true;
                error_entry({position}, item_error(error, message_type_of(items[position].message)));
            }
        for (size_t k = 0; k < answered.size(); ++k)
            if (!answered[k]) error_entry({group.positions[k]}, no_output_error());
    }
};

}  // namespace

Answer router_transform(const ServedPlugins &plugins, DestinationCache &cache, simdjson::padded_string_view body,
                        EnvelopeParsers &parsers) {
    Envelope envelope;
    if (std::string problem = read_router_items(body, parsers, envelope); !problem.empty()) return {400, problem};
    const std::vector<EnvelopeItem> &items = envelope.items;
    const std::string &dest_type = envelope.dest_type;
    const std::shared_ptr<const PluginLibrary> plugin = plugins.find(dest_type);
    RouterCall call{items, dest_type_of(dest_type)};
    call.out.reserve(body.size() + body.size() / 2);  // requests, metadata and destinations echoed
    if (!plugin) {
        std::vector<size_t> all(items.size());
        for (size_t i = 0; i < all.size(); ++i) all[i] = i;
        call.error_entry(all, {400, "Invalid destination: " + dest_type, ErrorKind::configuration});
    } else {
        for (size_t i = 0; i < items.size(); ++i)
            if (!items[i].problem.empty()) call.error_entry({i}, {400, items[i].problem, ErrorKind::invalid_event});
        for (const DestinationGroup &group : group_by_destination(items, plugin, cache))
            call.group_entries(group, plugin->max_events_per_request());
    }
    call.out += "]}";
    return {200, std::move(call.out)};
}

}  // namespace switchyard::transformer
