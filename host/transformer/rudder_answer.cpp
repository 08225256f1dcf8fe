// rudder-transformer's answer pieces (see rudder_answer.h).
#include "host/transformer/rudder_answer.h"

#include <array>
#include <cctype>

#include "host/json/json_text.h"

namespace switchyard::transformer {
namespace {

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

struct KindTags {
    ErrorKind kind;
    std::string_view category, type;
};
// rudder-transformer's error classes and the tags it gives each (src/v0/util/tags.js).
constexpr std::array<KindTags, 7> kKindTags = {{
    {ErrorKind::invalid_event, "dataValidation", "instrumentation"},
    {ErrorKind::configuration, "dataValidation", "configuration"},
    {ErrorKind::retryable, "network", "retryable"},
    {ErrorKind::throttled, "network", "throttled"},
    {ErrorKind::aborted, "network", "aborted"},
    {ErrorKind::filtered, "transformation", "filtered"},
    {ErrorKind::platform, "platform", "exception"},
}};

// rudder-server treats status 298 as "filtered by the destination": not an error, not delivered.
constexpr uint32_t kFilteredStatus = 298;

void append_member(std::string &out, std::string_view name, std::string_view value) {
    json::append_string(out, name);
    out += ':';
    json::append_string(out, value);
}

}  // namespace

void append_rudder_request(std::string &out, const RequestRead &request, UserIdField user_id) {
    out += R"({"version":"1","type":"REST",)";
    append_member(out, "method", text(request.fields.method));
    out += ',';
    append_member(out, "endpoint", text(request.fields.url));
    out += ',';
    append_member(out, "endpointPath", text(request.fields.kind));
    out += R"(,"headers":{)";
    for (size_t h = 0; h < request.headers.size(); ++h) {
        if (h > 0) out += ',';
        append_member(out, text(request.headers[h].name), text(request.headers[h].value));
    }
    out += R"(},"params":{},"body":{"JSON":)";
    const std::string_view body = text(request.fields.body);
    const bool json_body = !body.empty() && declares_json_body(request);
    out += json_body ? body : "{}";
    out += R"(,"JSON_ARRAY":{},"XML":)";
    if (json_body || body.empty()) {
        out += "{}";
    } else {
        out += '{';
        append_member(out, "payload", body);
        out += '}';
    }
    out += R"(,"FORM":{}},"files":{})";
    out += user_id == UserIdField::with ? R"(,"userId":""})" : "}";
}

ItemError item_error(const EventErrorRead &error, std::string_view message_type) {
    if (error.skipped_by_host)
        return {400, "Message type " + std::string(message_type) + " not supported", ErrorKind::invalid_event};
    switch (error.outcome) {
        case SY_SKIPPED: return {kFilteredStatus, error.message, ErrorKind::filtered};
        case SY_RETRY: return {error.status >= 500 ? error.status : 500, error.message, ErrorKind::retryable};
        case SY_THROTTLED: return {429, error.message, ErrorKind::throttled};
        default: return {error.status >= 400 ? error.status : 400, error.message, ErrorKind::invalid_event};
    }
}

ItemError no_output_error() {
    return {kFilteredStatus, "The destination makes no request of this event.", ErrorKind::filtered};
}

void append_stat_tags(std::string &out, ErrorKind kind, const StatTagsSource &source) {
    const KindTags *tags = kKindTags.data();
    for (const KindTags &row : kKindTags)
        if (row.kind == kind) tags = &row;
    out += '{';
    append_member(out, "destType", source.dest_type);
    out += ',';
    append_member(out, "errorCategory", tags->category);
    out += ',';
    append_member(out, "errorType", tags->type);
    out += ',';
    append_member(out, "feature", source.feature);
    out += R"(,"implementation":"native","module":"destination")";
    if (!source.destination_id.empty()) {
        out += ',';
        append_member(out, "destinationId", source.destination_id);
    }
    if (!source.workspace_id.empty()) {
        out += ',';
        append_member(out, "workspaceId", source.workspace_id);
    }
    out += '}';
}

std::string dest_type_of(std::string_view plugin_name) {
    std::string upper(plugin_name);
    for (char &c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper;
}

}  // namespace switchyard::transformer
