// Printing requests for operators and scripts: the body stays JSON so tools can compare it.
#include "host/cli/request_json.h"

#include "host/json/json_text.h"

namespace switchyard::cli {
namespace {

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

}  // namespace

void append_request_json(std::string &out, const RequestRead &request) {
    out += "{\"kind\":";
    json::append_string(out, text(request.fields.kind));
    out += ",\"method\":";
    json::append_string(out, text(request.fields.method));
    out += ",\"endpoint\":";
    json::append_string(out, text(request.fields.url));
    out += ",\"headers\":{";
    for (size_t h = 0; h < request.headers.size(); ++h) {
        if (h > 0) out += ',';
        json::append_string(out, text(request.headers[h].name));
        out += ':';
        json::append_string(out, text(request.headers[h].value));
    }
    out += "},\"body\":";
    const std::string_view body = text(request.fields.body);
    if (!body.empty() && declares_json_body(request))
        out += body;
    else
        json::append_string(out, body);
    out += '}';
}

}  // namespace switchyard::cli
