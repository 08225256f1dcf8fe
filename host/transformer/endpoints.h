// rudder-transformer's destination endpoints, as functions of the request body (transformer_api.h
// routes them): what rudder-server's processor, router and delivery proxy call.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "host/transformer/destination_cache.h"
#include "host/transformer/envelope.h"
#include "host/transformer/served_plugins.h"

namespace switchyard::transformer {

struct Answer {
    int status = 200;
    std::string body;  // JSON; a sentence (text/plain) when status is not 200
};

// POST /v0/destinations/NAME: `[{message, metadata, destination}]` → one or more entries per
// item, in the items' order: `{output, metadata, statusCode: 200}` per request, or
// `{metadata, statusCode, error, statTags}`. `plugin` null: NAME is not served.
Answer processor_transform(const std::shared_ptr<const PluginLibrary> &plugin, std::string_view name,
                           DestinationCache &cache, simdjson::padded_string_view body, EnvelopeParsers &parsers);

// POST /routerTransform: `{input, destType}` → `{output: [{batchedRequest, metadata: [...],
// batched, statusCode, destination} | {metadata: [...], batched: false, statusCode, error,
// statTags, destination}]}`: the requests in sending order, then the failed items.
Answer router_transform(const ServedPlugins &plugins, DestinationCache &cache, simdjson::padded_string_view body,
                        EnvelopeParsers &parsers);

// POST /v1/destinations/NAME/proxy: one built request with its jobs' metadata, sent through the
// plugin's send → `{output: {status, message, destinationResponse, response: [{statusCode,
// metadata, error}], statTags?}}`.
Answer delivery_proxy(const std::shared_ptr<const PluginLibrary> &plugin, std::string_view name,
                      DestinationCache &cache, std::string_view body);

}  // namespace switchyard::transformer
