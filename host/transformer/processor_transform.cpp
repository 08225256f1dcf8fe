// POST /v0/destinations/NAME (see endpoints.h): every item answered on its own, so one bad event
// or destination never fails the others.
#include <vector>

#include "host/json/json_text.h"
#include "host/transformer/destination_groups.h"
#include "host/transformer/endpoints.h"
#include "host/transformer/rudder_answer.h"

namespace switchyard::transformer {
namespace {

// What one item became: requests (pointing into a held result), or one error.
struct ItemOutcome {
    std::vector<const RequestRead *> requests;
    bool failed = false;
    ItemError error;
};

void fail(ItemOutcome &outcome, ItemError error) {
    outcome.failed = true;
    outcome.error = std::move(error);
}

void settle_group(const DestinationGroup &group, const TransformResult &result, const std::vector<EnvelopeItem> &items,
                  std::vector<ItemOutcome> &outcomes) {
    if (!result) {
        for (size_t position : group.positions) fail(outcomes[position], {500, result.problem(), ErrorKind::platform});
        return;
    }
    for (const RequestRead &request : result->requests)
        for (uint32_t index : request.event_indexes)
            if (index < group.positions.size()) outcomes[group.positions[index]].requests.push_back(&request);
    for (const EventErrorRead &error : result->errors)
        if (error.event_index < group.positions.size()) {
            const size_t position = group.positions[error.event_index];
            fail(outcomes[position], item_error(error, message_type_of(items[position].message)));
        }
    for (size_t position : group.positions)
        if (!outcomes[position].failed && outcomes[position].requests.empty()) fail(outcomes[position], no_output_error());
}

void append_metadata(std::string &out, const EnvelopeItem &item) {
    if (item.metadata.empty()) return;
    out += R"("metadata":)";
    out.append(item.metadata);
    out += ',';
}

void append_error(std::string &out, const EnvelopeItem &item, const ItemError &error, std::string_view dest_type) {
    out += '{';
    append_metadata(out, item);
    out += R"("statusCode":)" + std::to_string(error.status) + R"(,"error":)";
    json::append_string(out, error.message);
    out += R"(,"statTags":)";
    const MetadataIds ids = metadata_ids(item.metadata);
    append_stat_tags(out, error.kind, {dest_type, "processor", ids.destination_id, ids.workspace_id});
    out += '}';
}

void append_outcome(std::string &out, const EnvelopeItem &item, const ItemOutcome &outcome, std::string_view dest_type) {
    if (outcome.failed) {
        if (out.back() != '[') out += ',';
        append_error(out, item, outcome.error, dest_type);
        return;
    }
    for (const RequestRead *request : outcome.requests) {
        if (out.back() != '[') out += ',';
        out += R"({"output":)";
        append_rudder_request(out, *request, UserIdField::with);
        out += ',';
        append_metadata(out, item);
        out += R"("statusCode":200})";
    }
}

}  // namespace

Answer processor_transform(const std::shared_ptr<const PluginLibrary> &plugin, std::string_view name,
                           DestinationCache &cache, simdjson::padded_string_view body, EnvelopeParsers &parsers) {
    Envelope envelope;
    if (std::string problem = read_processor_items(body, parsers, envelope); !problem.empty()) return {400, problem};
    const std::vector<EnvelopeItem> &items = envelope.items;
    std::vector<ItemOutcome> outcomes(items.size());
    for (size_t i = 0; i < items.size(); ++i)
        if (!items[i].problem.empty()) fail(outcomes[i], {400, items[i].problem, ErrorKind::invalid_event});
        else if (!plugin) fail(outcomes[i], {400, "Invalid destination: " + std::string(name), ErrorKind::configuration});
    std::vector<TransformResult> results;  // cppcheck-suppress variableScope ; held while the answer points into them
    if (plugin) {
        const std::vector<DestinationGroup> groups = group_by_destination(items, plugin, cache);
        results.reserve(groups.size());
        for (const DestinationGroup &group : groups) {
            if (!group.instance.destination) {
                for (size_t position : group.positions)
                    fail(outcomes[position], {400, group.instance.refusal, ErrorKind::configuration});
                continue;
            }
            // One event per request: the processor's contract (rudder-server batches in its router).
            results.push_back(transform_group(group, items, 1));
            settle_group(group, results.back(), items, outcomes);
        }
    }
    const std::string dest_type = dest_type_of(plugin ? plugin->name() : name);
    Answer answer{200, "["};
    answer.body.reserve(body.size() + body.size() / 2);  // the answer echoes each item's metadata besides its request
    for (size_t i = 0; i < items.size(); ++i) append_outcome(answer.body, items[i], outcomes[i], dest_type);
    answer.body += ']';
    return answer;
}

}  // namespace switchyard::transformer
