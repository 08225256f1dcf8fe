// Content checks and the bounded read of ingest bodies.
#include "host/ingest/body_reader.h"

#include <httplib.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>

namespace switchyard::ingest {
namespace {

std::string lower_case(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// cpp-httplib passes bodies with an encoding it does not know through undecoded.
bool supported_encoding(const std::string &encoding) {
    return encoding.empty() || encoding == "identity" || encoding == "gzip" || encoding == "deflate" || encoding == "br";
}

// The body is JSON whatever the label: Segment's browser SDK sends it as text/plain (to avoid
// a CORS preflight), the RudderStack Node SDK as application/x-www-form-urlencoded (axios's
// default), some clients with no type at all. Other types (multipart, XML) are refused.
bool supported_content_type(const std::string &type) {
    const std::string media = lower_case(type.substr(0, type.find(';')));
    return media.empty() || media == "application/json" || media == "text/plain" ||
           media == "application/x-www-form-urlencoded";
}

BodyRead failure(int status, std::string error) { return BodyRead{status, std::move(error)}; }

std::string too_large(size_t max_body_bytes) {
    return "The body is larger than " + std::to_string(max_body_bytes) + " bytes (after decompression).";
}

}  // namespace

BodyRead read_body(const httplib::Request &request, const httplib::Response &response,
                   const httplib::ContentReader &reader, size_t max_body_bytes, std::string &body) {
    const std::string encoding = lower_case(request.get_header_value("Content-Encoding"));
    if (!supported_encoding(encoding))
        return failure(415, "Content-Encoding \"" + encoding.substr(0, 32) + "\" is not supported; send gzip or no encoding.");
    if (!supported_content_type(request.get_header_value("Content-Type")))
        return failure(415, "The body must be JSON (Content-Type application/json).");
    if (encoding.empty() && request.has_header("Content-Length")) {
        const size_t length = request.get_header_value<uint64_t>("Content-Length");
        body.reserve(std::min(length, max_body_bytes) + simdjson::SIMDJSON_PADDING);
    }
    bool exceeded = false;
    const bool complete = reader([&](const char *data, size_t length) {
        if (length > max_body_bytes - body.size()) {
            exceeded = true;
            return false;
        }
        body.append(data, length);
        return true;
    });
    // cpp-httplib sets 413 itself when Content-Length passes Server::set_payload_max_length.
    if (exceeded || (!complete && response.status == 413)) return failure(413, too_large(max_body_bytes));
    if (!complete) return failure(400, "The body could not be read (cut short, or not valid " + encoding + ").");
    if (body.empty()) return failure(400, "The body is empty.");
    return {};
}

}  // namespace switchyard::ingest
