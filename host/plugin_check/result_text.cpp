// Writing a transform result out in full, without interpreting any of it.
#include "host/plugin_check/result_text.h"

namespace switchyard::plugin_check {
namespace {

void append(std::string &out, sy_str_view v) {
    out += std::to_string(v.len) + ':';
    if (v.ptr != nullptr) out.append(v.ptr, v.len);
    out += ' ';
}

void append_request(std::string &out, const sy_request &r) {
    out += "request ";
    append(out, r.method);
    append(out, r.url);
    for (size_t h = 0; h < r.header_count && r.headers != nullptr; ++h) {
        append(out, r.headers[h].name);
        append(out, r.headers[h].value);
    }
    append(out, r.body);
    out += "events";
    for (size_t e = 0; e < r.event_count && r.event_indexes != nullptr; ++e)
        out += ' ' + std::to_string(r.event_indexes[e]);
    out += ' ';
    append(out, r.rate_key);
    out += '\n';
}

}  // namespace

std::string result_text(const sy_transform_result *result) {
    if (result == nullptr) return "no result";
    std::string out;
    for (size_t q = 0; q < result->request_count && result->requests != nullptr; ++q)
        append_request(out, result->requests[q]);
    for (size_t e = 0; e < result->error_count && result->errors != nullptr; ++e) {
        const sy_event_error &error = result->errors[e];
        out += "error " + std::to_string(error.event_index) + ' ' + std::to_string(error.status) + ' ';
        append(out, error.message);
        out += '\n';
    }
    return out;
}

}  // namespace switchyard::plugin_check
