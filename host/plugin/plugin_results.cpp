// Reading transform and send results through abi_read.h, checking the pointers the host follows.
#include "host/plugin/plugin_results.h"

#include <strings.h>

#include "host/plugin/abi_read.h"

namespace switchyard {
namespace {

std::string text(sy_str_view v) { return {v.ptr != nullptr ? v.ptr : "", v.len}; }

// The plugin's index into the events it was given, as a position in the caller's events; an
// index past the plugin's events stays past the caller's, so checks can still name it.
uint32_t caller_index(uint32_t index, std::span<const uint32_t> positions, size_t caller_count) {
    if (index < positions.size()) return positions[index];
    return static_cast<uint32_t>(index - positions.size() + caller_count);
}

std::string read_request(const sy_request &fields, std::span<const uint32_t> positions, size_t caller_count,
                         RequestRead &out) {
    out.fields = fields;
    if (std::string why = view_abi_array(fields.headers, fields.header_count, out.owned_headers, out.headers);
        !why.empty())
        return "its headers: " + why;
    if (fields.event_count > 0 && fields.event_indexes == nullptr)
        return "it carries " + std::to_string(fields.event_count) + " events but its event_indexes is NULL";
    const std::span<const uint32_t> indexes(fields.event_indexes, fields.event_count);
    if (positions.size() == caller_count) {  // the host skipped none: the plugin's indexes are the caller's
        out.event_indexes = indexes;
        return {};
    }
    out.owned_indexes.resize(indexes.size());
    for (size_t e = 0; e < indexes.size(); ++e) out.owned_indexes[e] = caller_index(indexes[e], positions, caller_count);
    out.event_indexes = out.owned_indexes;
    return {};
}

}  // namespace

std::string read_transform_result(const sy_transform_result &raw, std::span<const uint32_t> positions,
                                  size_t caller_count, TransformRead &out) {
    sy_transform_result result{};
    if (std::string why = read_abi_struct(&raw, result); !why.empty()) return why;
    std::vector<sy_request> copies;
    std::span<const sy_request> requests;
    if (std::string why = view_abi_array(result.requests, result.request_count, copies, requests); !why.empty())
        return "requests: " + why;
    const auto *made = reinterpret_cast<const unsigned char *>(result.requests);
    out.requests.reserve(out.requests.size() + requests.size());
    for (size_t q = 0; q < requests.size(); ++q) {
        RequestRead &request = out.requests.emplace_back();
        request.as_made = reinterpret_cast<const sy_request *>(made + q * requests[0].struct_size);
        if (std::string why = read_request(requests[q], positions, caller_count, request); !why.empty())
            return "request " + std::to_string(q) + ": " + why;
    }
    std::vector<sy_event_error> error_copies;
    std::span<const sy_event_error> errors;
    if (std::string why = view_abi_array(result.errors, result.error_count, error_copies, errors); !why.empty())
        return "errors: " + why;
    for (const sy_event_error &e : errors)
        out.errors.push_back({caller_index(e.event_index, positions, caller_count), e.outcome, e.status, text(e.message),
                              false});
    return {};
}

std::string read_send_result(const sy_send_result &raw, SendRead &out) {
    if (std::string why = read_abi_struct(&raw, out.fields); !why.empty()) return why;
    if (std::string why = read_abi_array(out.fields.events, out.fields.event_count, out.events); !why.empty())
        return "event outcomes: " + why;
    return {};
}

bool declares_json_body(const RequestRead &request) {
    constexpr std::string_view kContentType = "content-type";
    for (const sy_header &header : request.headers) {
        if (header.name.len != kContentType.size() ||
            strncasecmp(header.name.ptr, kContentType.data(), kContentType.size()) != 0)
            continue;
        return std::string_view(header.value.ptr != nullptr ? header.value.ptr : "", header.value.len).find("json") !=
               std::string_view::npos;
    }
    return false;
}

}  // namespace switchyard
