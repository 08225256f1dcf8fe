// Reading rudder-server's envelopes (see envelope.h).
#include "host/transformer/envelope.h"

#include <nlohmann/json.hpp>

namespace switchyard::transformer {
namespace {

namespace od = simdjson::ondemand;

// The ID and Config of a destination object: read once per distinct destination text (a call's
// items usually share one), from the slice, which the request's padding lets simdjson read.
void read_destination(std::string_view destination, const char *text_end, od::parser &parser, EnvelopeItem &item) {
    const size_t capacity = static_cast<size_t>(text_end - destination.data()) + simdjson::SIMDJSON_PADDING;
    od::document doc;
    od::object object;
    if (parser.iterate(simdjson::padded_string_view(destination.data(), destination.size(), capacity)).get(doc) ||
        doc.get_object().get(object))
        return;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return;
        if (key == "ID") {
            std::string_view id;
            if (!field.value().get_string().get(id)) item.destination_id = id;
        } else if (key == "Config") {
            od::object config;
            std::string_view raw;
            if (!field.value().get_object().get(config) && !config.raw_json().get(raw)) item.config = raw;
        }
    }
}

// A member that must be an object, as its text; false when it is not one.
bool object_text(od::value value, std::string_view &text) {
    od::object object;
    return !value.get_object().get(object) && !object.raw_json().get(text);
}

// The items of a call, read one after the other.
struct ItemReader {
    const char *text_end;  // of the body, whose padding follows
    od::parser &destination_parser;
    Envelope &envelope;

    EnvelopeItem read(od::value value, size_t position, const EnvelopeItem *previous) const;
    std::string read_all(od::array array) const;
};

EnvelopeItem ItemReader::read(od::value value, size_t position, const EnvelopeItem *previous) const {
    EnvelopeItem item;
    item.config = "{}";
    od::object object;
    if (value.get_object().get(object)) {
        item.problem = "item " + std::to_string(position) + " is not a JSON object";
        return item;
    }
    bool has_message = false;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) break;
        if (key == "message") has_message = object_text(field.value(), item.message);
        else if (key == "metadata") object_text(field.value(), item.metadata);
        else if (key == "destination") object_text(field.value(), item.destination);
    }
    if (!has_message) item.problem = "item " + std::to_string(position) + " has no \"message\" object";
    if (previous != nullptr && item.destination == previous->destination) {
        item.destination_id = previous->destination_id;
        item.config = previous->config;
    } else if (!item.destination.empty()) {
        read_destination(item.destination, text_end, destination_parser, item);
    }
    return item;
}

std::string ItemReader::read_all(od::array array) const {
    for (auto element : array) {
        od::value value;
        if (element.get(value)) return "The request body is not valid JSON.";
        const EnvelopeItem *previous = envelope.items.empty() ? nullptr : &envelope.items.back();
        envelope.items.push_back(read(value, envelope.items.size(), previous));
    }
    return "";
}

}  // namespace

std::string read_processor_items(simdjson::padded_string_view body, EnvelopeParsers &parsers, Envelope &envelope) {
    od::document doc;
    od::array array;
    if (parsers.body.iterate(body).get(doc)) return "The request body is not valid JSON.";
    if (const auto error = doc.get_array().get(array); error == simdjson::INCORRECT_TYPE)
        return "The request body must be a JSON array of {message, metadata, destination} items.";
    else if (error)
        return "The request body is not valid JSON.";
    return ItemReader{body.data() + body.size(), parsers.destination, envelope}.read_all(array);
}

std::string read_router_items(simdjson::padded_string_view body, EnvelopeParsers &parsers, Envelope &envelope) {
    od::document doc;
    od::object object;
    if (parsers.body.iterate(body).get(doc) || doc.get_object().get(object))
        return "The request body must be a JSON object {input, destType} whose \"input\" is a non-empty array.";
    bool has_input = false;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return "The request body is not valid JSON.";
        if (key == "destType") {
            std::string_view dest_type;
            if (!field.value().get_string().get(dest_type)) envelope.dest_type = dest_type;
        } else if (key == "input") {
            od::array input;
            if (field.value().get_array().get(input)) break;
            has_input = true;
            const ItemReader reader{body.data() + body.size(), parsers.destination, envelope};
            if (std::string problem = reader.read_all(input); !problem.empty()) return problem;
        }
    }
    if (!has_input || envelope.items.empty())
        return "The request body must be a JSON object {input, destType} whose \"input\" is a non-empty array.";
    if (envelope.dest_type.empty()) return "The request body has no \"destType\" string.";
    return "";
}

std::string message_type_of(std::string_view message) {
    const nlohmann::json parsed = nlohmann::json::parse(message, nullptr, false);
    return parsed.is_object() && parsed.contains("type") && parsed["type"].is_string() ? parsed["type"].get<std::string>()
                                                                                      : std::string();
}

MetadataIds metadata_ids(std::string_view metadata) {
    const nlohmann::json parsed = nlohmann::json::parse(metadata, nullptr, false);
    MetadataIds ids;
    if (!parsed.is_object()) return ids;
    if (parsed.contains("destinationId") && parsed["destinationId"].is_string()) ids.destination_id = parsed["destinationId"];
    if (parsed.contains("workspaceId") && parsed["workspaceId"].is_string()) ids.workspace_id = parsed["workspaceId"];
    return ids;
}

}  // namespace switchyard::transformer
