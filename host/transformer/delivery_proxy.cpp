// POST /v1/destinations/NAME/proxy (see endpoints.h): rudder-server hands back a request the
// transformer built; it goes out through the plugin's send, which grades the destination's answer
// per job, so a bulk call's failed items fail alone.
#include <cctype>
#include <deque>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/transformer/endpoints.h"
#include "host/transformer/rudder_answer.h"

namespace switchyard::transformer {
namespace {

using nlohmann::json;

// The request as rudder-server sent it, laid out as the ABI's sy_request (which points into it).
struct ProxyRequest {
    std::deque<std::string> texts;  // stable addresses for the views
    std::vector<sy_header> headers;
    std::vector<uint32_t> indexes;
    sy_request request{};

    sy_str_view keep(std::string text) {
        const std::string &kept = texts.emplace_back(std::move(text));
        return {kept.data(), kept.size()};
    }
};

std::string percent_encoded(const std::string &text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

std::string text_of(const json &value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// The URL with `params` as its query string.
std::string url_with_params(std::string url, const json &params) {
    if (!params.is_object() || params.empty()) return url;
    char separator = url.find('?') == std::string::npos ? '?' : '&';
    for (const auto &[name, value] : params.items()) {
        url += separator + percent_encoded(name) + "=" + percent_encoded(text_of(value));
        separator = '&';
    }
    return url;
}

// The body rudder-server would send: body.JSON, else JSON_ARRAY.batch, else XML.payload.
std::string body_of(const json &body, std::string &problem) {
    if (!body.is_object()) return {};
    if (const json &j = body.value("JSON", json::object()); !j.empty()) return j.dump();
    if (const json &a = body.value("JSON_ARRAY", json::object()); a.contains("batch")) return text_of(a["batch"]);
    if (const json &x = body.value("XML", json::object()); x.contains("payload")) return text_of(x["payload"]);
    if (!body.value("FORM", json::object()).empty()) problem = "The request's body.FORM is not supported; send body.JSON.";
    return {};
}

std::string read_request(const json &envelope, ProxyRequest &built) {
    if (!envelope.is_object()) return "The request body must be a JSON object (a built request with its metadata).";
    if (!envelope.contains("metadata") || !envelope["metadata"].is_array() || envelope["metadata"].empty())
        return "The request has no \"metadata\" array of its jobs.";
    if (!envelope.value("endpoint", json()).is_string() || !envelope.value("method", json()).is_string())
        return "The request needs \"method\" and \"endpoint\" strings.";
    std::string problem;
    const std::string body = body_of(envelope.value("body", json::object()), problem);
    if (!problem.empty()) return problem;
    sy_request &r = built.request;
    r.struct_size = sizeof r;
    r.method = built.keep(envelope["method"]);
    r.url = built.keep(url_with_params(envelope["endpoint"], envelope.value("params", json::object())));
    r.kind = r.rate_key = built.keep(text_of(envelope.value("endpointPath", json(""))));
    r.body = built.keep(body);
    const json headers = envelope.value("headers", json::object());
    for (const auto &[name, value] : headers.items())
        built.headers.push_back({sizeof(sy_header), built.keep(name), built.keep(text_of(value))});
    r.headers = built.headers.data();
    r.header_count = built.headers.size();
    for (uint32_t i = 0; i < envelope["metadata"].size(); ++i) built.indexes.push_back(i);
    r.event_indexes = built.indexes.data();
    r.event_count = built.indexes.size();
    return {};
}

struct JobOutcome {
    uint32_t status;
    std::string error;  // "success" when delivered
};

struct Delivery {
    uint32_t status = 500;
    std::string message;
    ErrorKind kind = ErrorKind::platform;
    std::vector<JobOutcome> jobs;
};

ErrorKind kind_of(sy_outcome outcome) {
    if (outcome == SY_RETRY) return ErrorKind::retryable;
    if (outcome == SY_THROTTLED) return ErrorKind::throttled;
    return ErrorKind::aborted;
}

std::string text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

// A string member of a metadata object, "" when absent or not a string.
std::string metadata_string(const json &metadata, const char *key) {
    if (!metadata.is_object() || !metadata.contains(key) || !metadata[key].is_string()) return {};
    return metadata[key].get<std::string>();
}

// Every job failing alike, before anything was sent.
Delivery refused(uint32_t status, std::string message, ErrorKind kind, size_t jobs) {
    Delivery d{status, message, kind, {}};
    d.jobs.assign(jobs, {status, std::move(message)});
    return d;
}

Delivery graded(const SendRead &sent, size_t jobs, std::string_view dest_type) {
    const sy_send_result &f = sent.fields;
    Delivery d;
    d.status = f.http_status != 0 ? f.http_status : (f.outcome == SY_THROTTLED ? 429 : 500);
    d.kind = kind_of(f.outcome);
    d.message = f.outcome == SY_OK ? "[" + std::string(dest_type) + " Response Handler] - Request Processed Successfully"
                                   : text(f.message);
    for (size_t i = 0; i < jobs; ++i) {
        const bool own = i < sent.events.size();
        const sy_outcome outcome = own ? sent.events[i].outcome : f.outcome;
        const uint32_t status = own && sent.events[i].status != 0 ? sent.events[i].status : d.status;
        std::string error = outcome == SY_OK ? "success" : text(own ? sent.events[i].message : f.message);
        d.jobs.push_back({outcome == SY_OK ? 200 : status, std::move(error)});
    }
    return d;
}

std::string answer_text(const Delivery &d, const json &metadata, std::string_view dest_type) {
    json output = {{"status", d.status}, {"message", d.message}, {"response", json::array()}};
    for (size_t i = 0; i < d.jobs.size(); ++i)
        output["response"].push_back({{"statusCode", d.jobs[i].status}, {"metadata", metadata[i]}, {"error", d.jobs[i].error}});
    // As the reference: a delivered request names the destination's status, a failed one its tags
    // (each job's error carries the destination's answer). The answer's body itself is not in the
    // plugin's send result, so destinationResponse has no "response".
    if (d.status >= 200 && d.status < 300) {
        output["destinationResponse"] = {{"status", d.status}};
    } else {
        std::string tags;
        append_stat_tags(tags, d.kind, {dest_type, "dataDelivery", metadata_string(metadata[0], "destinationId"),
                                        metadata_string(metadata[0], "workspaceId")});
        output["statTags"] = json::parse(tags);
    }
    return json({{"output", output}}).dump();
}

}  // namespace

Answer delivery_proxy(const std::shared_ptr<const PluginLibrary> &plugin, std::string_view name,
                      DestinationCache &cache, std::string_view body) {
    const json envelope = json::parse(body, nullptr, false);
    if (envelope.is_discarded()) return {400, "The request body is not valid JSON."};
    ProxyRequest built;
    if (std::string problem = read_request(envelope, built); !problem.empty()) return {400, problem};
    const json &metadata = envelope["metadata"];
    const std::string dest_type = dest_type_of(plugin ? plugin->name() : name);
    if (!plugin)
        return {200, answer_text(refused(400, "Invalid destination: " + std::string(name), ErrorKind::configuration,
                                         metadata.size()),
                                 metadata, dest_type)};
    const json config = envelope.value("destinationConfig", json::object());
    // Its own cache entry: this config's text is written by another writer than the transform
    // calls' (same settings, other bytes), and sharing one entry would rebuild it on every switch.
    const Instance instance = cache.get(plugin, metadata_string(metadata[0], "destinationId") + "#proxy", config.dump());
    if (!instance.destination)
        return {200, answer_text(refused(400, instance.refusal, ErrorKind::configuration, metadata.size()), metadata,
                                 dest_type)};
    const SendResult sent = instance.destination->send(built.request);
    if (!sent)
        return {200, answer_text(refused(500, sent.problem(), ErrorKind::platform, metadata.size()), metadata, dest_type)};
    return {200, answer_text(graded(*sent, metadata.size(), dest_type), metadata, dest_type)};
}

}  // namespace switchyard::transformer
