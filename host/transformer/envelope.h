// rudder-server's request envelopes, read with simdjson On-Demand: each item's message, metadata
// and destination are slices of the request's own text, so the plugin gets the message and the
// answer echoes the rest without re-serialising anything (the API's hot path).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::transformer {

// Views point into the request body the Envelope was read from.
struct EnvelopeItem {
    std::string_view message;      // a JSON object, handed to the plugin
    std::string_view metadata;     // JSON, echoed as given; empty when the item has none
    std::string_view destination;  // the whole destination object (router answers echo it); empty when none
    std::string_view config;       // destination.Config; "{}" when absent
    std::string destination_id;    // destination.ID, "" when absent
    std::string problem;           // why this item cannot be transformed (its own error entry); "" when it can
};

struct Envelope {
    std::vector<EnvelopeItem> items;
    std::string dest_type;  // a router call's destType
};

// The parsers reading one call at a time: one for the body, one for each distinct destination
// object. Kept between calls, they keep the buffers they grew.
struct EnvelopeParsers {
    simdjson::ondemand::parser body;
    simdjson::ondemand::parser destination;
};

// A processor call (`[{message, metadata, destination}, …]`); returns why the body is not such an
// array, one sentence, or "" (an item that is not usable gets `problem` instead). The body must
// outlive the envelope.
std::string read_processor_items(simdjson::padded_string_view body, EnvelopeParsers &parsers, Envelope &envelope);

// A router call (`{input: [...], destType}`): the same per item, and destType.
std::string read_router_items(simdjson::padded_string_view body, EnvelopeParsers &parsers, Envelope &envelope);

// Read only for error entries, which are rare: the message's "type" ("" when none) and the
// metadata's destinationId and workspaceId (statTags name them).
std::string message_type_of(std::string_view message);
struct MetadataIds {
    std::string destination_id, workspace_id;
};
MetadataIds metadata_ids(std::string_view metadata);

}  // namespace switchyard::transformer
