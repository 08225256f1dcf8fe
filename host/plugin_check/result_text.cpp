// Writing a transform result out in full, without interpreting any of it.
#include "host/plugin_check/result_text.h"

namespace switchyard::plugin_check {
namespace {

void append(std::string &out, sy_str_view v) {
    out += std::to_string(v.len) + ':';
    if (v.ptr != nullptr) out.append(v.ptr, v.len);
    out += ' ';
}

void append_request(std::string &out, const RequestRead &r) {
    out += "request ";
    append(out, r.fields.kind);
    append(out, r.fields.method);
    append(out, r.fields.url);
    for (const sy_header &h : r.headers) {
        append(out, h.name);
        append(out, h.value);
    }
    append(out, r.fields.body);
    out += "events";
    for (const uint32_t index : r.event_indexes) out += ' ' + std::to_string(index);
    out += ' ';
    append(out, r.fields.rate_key);
    out += '\n';
}

}  // namespace

std::string result_text(const TransformResult &result) {
    if (!result) return "no result: " + result.problem();
    std::string out;
    for (const RequestRead &request : result->requests) append_request(out, request);
    for (const EventErrorRead &error : result->errors) {
        out += "error " + std::to_string(error.event_index) + ' ' + std::to_string(error.outcome) + ' ' +
               std::to_string(error.status) + ' ';
        append(out, {error.message.data(), error.message.size()});
        out += '\n';
    }
    return out;
}

}  // namespace switchyard::plugin_check
