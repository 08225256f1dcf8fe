// rudder-server's request envelopes, read with simdjson: each item's message, metadata and
// destination kept as compact JSON text, so that the plugin gets the message and the answer
// echoes the rest without a second parse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::transformer {

struct EnvelopeItem {
    std::string message;         // compact JSON object, handed to the plugin
    std::string message_type;    // message.type when it is a string, else ""
    std::string metadata;        // compact JSON, echoed as given; empty when the item has none
    std::string destination;     // the whole destination object, compact (router answers echo it)
    std::string destination_id;  // destination.ID, "" when absent
    std::string config;          // destination.Config, compact; "{}" when absent
    std::string source_destination_id, workspace_id;  // metadata.destinationId / workspaceId, for statTags
    std::string problem;         // why this item cannot be transformed (its own error entry); "" when it can
};

// The items of a processor call (`[{message, metadata, destination}, …]`); returns why the body
// is not such an array, one sentence, or "" (an item that is not usable gets `problem` instead).
std::string read_processor_items(std::string_view body, std::vector<EnvelopeItem> &items);

// A router call (`{input: [...], destType}`): the same per item, and destType.
std::string read_router_items(std::string_view body, std::vector<EnvelopeItem> &items, std::string &dest_type);

}  // namespace switchyard::transformer
