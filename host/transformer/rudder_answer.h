// The pieces of rudder-transformer's answers, written as JSON text: a built request in its
// envelope (version, type, method, endpoint, endpointPath, headers, params, body.{JSON,
// JSON_ARRAY, XML, FORM}, files) and an error's statTags.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "host/plugin/plugin_results.h"

namespace switchyard::transformer {

// A JSON body goes under body.JSON; any other body, as text, under body.XML.payload (where
// rudder-server's router takes a body it sends as is, with the request's Content-Type).
// `endpointPath` is the plugin's kind for the request. Processor answers carry `userId: ""`.
enum class UserIdField { with, without };
void append_rudder_request(std::string &out, const RequestRead &request, UserIdField user_id);

// What went wrong, in rudder-transformer's terms (statTags.errorCategory / errorType).
enum class ErrorKind { invalid_event, configuration, retryable, throttled, aborted, filtered, platform };

struct ItemError {
    uint32_t status = 400;
    std::string message;
    ErrorKind kind = ErrorKind::invalid_event;
};

// The processor's and router's answer for an event the plugin did not turn into a request.
// `message_type` names an event the host skipped for its type, as the reference does.
ItemError item_error(const EventErrorRead &error, std::string_view message_type);
// The answer for an event the plugin produced nothing for (neither request nor error).
ItemError no_output_error();

// rudder-transformer's statTags object. `feature`: "processor", "router" or "dataDelivery".
// destinationId and workspaceId are written only when the caller's metadata gave them.
struct StatTagsSource {
    std::string_view dest_type;  // upper case, e.g. "ITERABLE"
    std::string_view feature;
    std::string_view destination_id;
    std::string_view workspace_id;
};
void append_stat_tags(std::string &out, ErrorKind kind, const StatTagsSource &source);

// The destination type rudder-server names for a plugin: its name in upper case.
std::string dest_type_of(std::string_view plugin_name);

}  // namespace switchyard::transformer
