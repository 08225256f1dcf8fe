// Fuzzes the ingestion request parsing as the /v1/* handler runs it, without a server: the
// Authorization header, the bounded (and gzip-decoded) body read, the body parse and the
// normalisation of every event. Input: four header lines, then the body:
//   <endpoint type: identify|track|page|screen|group|alias, anything else: batch>
//   <Content-Encoding>
//   <Content-Type>
//   <Authorization>
//   <body bytes>
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "host/ingest/auth.h"
#include "host/ingest/body_reader.h"
#include "host/ingest/request_body.h"

namespace {

using namespace switchyard;

constexpr int64_t kReceivedAtMs = 1'714'550'400'000;  // 2024-05-01T08:00:00Z
constexpr size_t kReadChunkBytes = 4096;              // cpp-httplib's receive buffer (CPPHTTPLIB_RECV_BUFSIZ)

// Smaller than the defaults, so that inputs of a few kilobytes reach every limit.
IngestLimits fuzz_limits() {
    IngestLimits limits;
    limits.max_body_bytes = 64 * 1024;
    limits.max_batch_events = 20;
    limits.max_event_bytes = 4 * 1024;
    return limits;
}

struct FuzzRequest {
    std::string_view path_type;
    httplib::Request http;
    std::string_view body;  // as it arrives on the socket (maybe compressed)
};

std::string_view next_line(std::string_view &text) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

FuzzRequest split_input(std::string_view input) {
    FuzzRequest request;
    const std::string_view type = next_line(input);
    request.path_type = ingest::is_event_type(type) ? type : std::string_view();
    const std::pair<const char *, std::string_view> headers[] = {
        {"Content-Encoding", next_line(input)}, {"Content-Type", next_line(input)}, {"Authorization", next_line(input)}};
    for (const auto &[name, value] : headers)
        if (!value.empty()) request.http.headers.emplace(name, std::string(value));
    request.body = input;
    if (!request.http.has_header("Content-Encoding"))
        request.http.headers.emplace("Content-Length", std::to_string(input.size()));
    return request;
}

// What cpp-httplib does before a content reader's receiver sees the body: read it in chunks
// and, for gzip or deflate, inflate each chunk.
httplib::ContentReader content_reader(const FuzzRequest &request) {
    return httplib::ContentReader(
        [&request](const httplib::ContentReceiver &receiver) {
            const std::string encoding = request.http.get_header_value("Content-Encoding");
            httplib::detail::gzip_decompressor inflater;
            const bool inflate = encoding == "gzip" || encoding == "deflate";
            for (std::string_view rest = request.body; !rest.empty();) {
                const std::string_view chunk = rest.substr(0, kReadChunkBytes);
                rest.remove_prefix(chunk.size());
                const bool more = inflate ? inflater.decompress(chunk.data(), chunk.size(), receiver)
                                          : receiver(chunk.data(), chunk.size());
                if (!more) return false;
            }
            return true;
        },
        [](const httplib::MultipartContentHeader &, const httplib::ContentReceiver &) { return false; });
}

[[noreturn]] void contract_broken(const std::string &what) {
    std::fprintf(stderr, "fuzz: %s\n", what.c_str());
    std::abort();
}

void check_accepted(const ingest::BodyOutcome &outcome) {
    if (outcome.events.empty()) contract_broken("a 200 without events");
    for (const ingest::NormalizedEvent &event : outcome.events) {
        const nlohmann::json message = nlohmann::json::parse(event.payload, nullptr, false);
        if (!message.is_object()) contract_broken("a stored payload that is not a JSON object: " + event.payload);
        for (const char *key : {"type", "messageId", "receivedAt", "timestamp"})
            if (!message.contains(key)) contract_broken(std::string("a stored payload without ") + key + ": " + event.payload);
        if (message.contains("writeKey")) contract_broken("the write key reached the store: " + event.payload);
        if (event.user_key.empty()) contract_broken("an accepted event without a user key: " + event.payload);
    }
}

void check_refused(int status, const std::string &error) {
    if (status != 400 && status != 413 && status != 415) contract_broken("unexpected status " + std::to_string(status));
    if (error.empty()) contract_broken("a refusal without a reason");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const FuzzRequest request = split_input({reinterpret_cast<const char *>(data), size});
    const IngestLimits limits = fuzz_limits();
    if (const std::string authorization = request.http.get_header_value("Authorization"); !authorization.empty())
        (void)ingest::basic_auth_user(authorization);
    std::string text;
    httplib::Response response;
    const ingest::BodyRead read = ingest::read_body(request.http, response, content_reader(request), limits.max_body_bytes, text);
    if (read.status != 200) {
        check_refused(read.status, read.error);
        return 0;
    }
    if (text.size() > limits.max_body_bytes) contract_broken("read a body past the limit");
    ingest::RequestBody body;
    if (!body.parse(text)) {
        check_refused(400, body.error());
        return 0;
    }
    (void)body.write_key();
    const ingest::BodyOutcome outcome = body.normalize(request.path_type, kReceivedAtMs, "203.0.113.7", limits);
    if (outcome.status == 200) check_accepted(outcome);
    else check_refused(outcome.status, outcome.error);
    return 0;
}
