// Printing requests for operators and scripts: the body stays JSON so tools can compare it.
#include "host/cli/request_json.h"

#include <simdjson.h>

#include "host/json/json_text.h"

namespace switchyard::cli {
namespace {

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

bool is_json(std::string_view body) {
    thread_local simdjson::dom::parser parser;
    return !body.empty() && parser.parse(body.data(), body.size(), true).error() == simdjson::SUCCESS;
}

}  // namespace

void append_request_json(std::string &out, const sy_request &request) {
    out += "{\"method\":";
    json::append_string(out, text(request.method));
    out += ",\"endpoint\":";
    json::append_string(out, text(request.url));
    out += ",\"headers\":{";
    for (size_t h = 0; h < request.header_count; ++h) {
        if (h > 0) out += ',';
        json::append_string(out, text(request.headers[h].name));
        out += ':';
        json::append_string(out, text(request.headers[h].value));
    }
    out += "},\"body\":";
    const std::string_view body = text(request.body);
    if (is_json(body))
        out += body;
    else
        json::append_string(out, body);
    out += '}';
}

}  // namespace switchyard::cli
