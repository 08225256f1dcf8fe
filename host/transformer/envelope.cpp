// Reading rudder-server's envelopes (see envelope.h). Parsers are per thread: requests are
// served in parallel and a simdjson parser keeps its buffers between documents.
#include "host/transformer/envelope.h"

#include <simdjson.h>

#include "host/ingest/dom_json.h"

namespace switchyard::transformer {
namespace {

using simdjson::dom::element;

simdjson::dom::parser &thread_parser() {
    thread_local simdjson::dom::parser parser;
    return parser;
}

std::string compact(element value) {
    std::string out;
    ingest::append_json(out, value);
    return out;
}

std::string string_member(simdjson::dom::object object, std::string_view key) {
    std::string_view value;
    return object[key].get_string().get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
}

void read_destination(element destination, EnvelopeItem &item) {
    item.destination = compact(destination);
    simdjson::dom::object object;
    if (destination.get_object().get(object) != simdjson::SUCCESS) return;
    item.destination_id = string_member(object, "ID");
    element config;
    if (object["Config"].get(config) == simdjson::SUCCESS) item.config = compact(config);
}

EnvelopeItem read_item(element value, size_t position) {
    EnvelopeItem item;
    item.config = "{}";
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        item.problem = "item " + std::to_string(position) + " is not a JSON object";
        return item;
    }
    element part;
    if (object["metadata"].get(part) == simdjson::SUCCESS) {
        item.metadata = compact(part);
        simdjson::dom::object metadata;
        if (part.get_object().get(metadata) == simdjson::SUCCESS) {
            item.source_destination_id = string_member(metadata, "destinationId");
            item.workspace_id = string_member(metadata, "workspaceId");
        }
    }
    if (object["destination"].get(part) == simdjson::SUCCESS) read_destination(part, item);
    simdjson::dom::object message;
    if (object["message"].get_object().get(message) != simdjson::SUCCESS) {
        item.problem = "item " + std::to_string(position) + " has no \"message\" object";
        return item;
    }
    item.message = compact(object["message"].value_unsafe());
    item.message_type = string_member(message, "type");
    return item;
}

std::string read_items(simdjson::dom::array array, std::vector<EnvelopeItem> &items) {
    items.reserve(array.size());
    for (element value : array) items.push_back(read_item(value, items.size()));
    return "";
}

}  // namespace

std::string read_processor_items(std::string_view body, std::vector<EnvelopeItem> &items) {
    element root;
    if (thread_parser().parse(body.data(), body.size()).get(root) != simdjson::SUCCESS)
        return "The request body is not valid JSON.";
    simdjson::dom::array array;
    if (root.get_array().get(array) != simdjson::SUCCESS)
        return "The request body must be a JSON array of {message, metadata, destination} items.";
    return read_items(array, items);
}

std::string read_router_items(std::string_view body, std::vector<EnvelopeItem> &items, std::string &dest_type) {
    element root;
    if (thread_parser().parse(body.data(), body.size()).get(root) != simdjson::SUCCESS)
        return "The request body is not valid JSON.";
    simdjson::dom::object object;
    simdjson::dom::array input;
    if (root.get_object().get(object) != simdjson::SUCCESS || object["input"].get_array().get(input) != simdjson::SUCCESS ||
        input.size() == 0)
        return "The request body must be a JSON object {input, destType} whose \"input\" is a non-empty array.";
    dest_type = string_member(object, "destType");
    if (dest_type.empty()) return "The request body has no \"destType\" string.";
    return read_items(input, items);
}

}  // namespace switchyard::transformer
