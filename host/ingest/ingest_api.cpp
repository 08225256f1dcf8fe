// HTTP glue of the ingestion API: routes, authentication order, storing, answers, metrics.
#include "host/ingest/ingest_api.h"

#include <httplib.h>

#include <chrono>

#include "host/ingest/auth.h"
#include "host/filtering/filtered_events_metric.h"
#include "host/ingest/body_reader.h"
#include "host/ingest/cors.h"
#include "host/ingest/request_body.h"
#include "host/json/json_text.h"
#include "host/log/log.h"
#include "host/metrics/metrics.h"
#include "host/store/store.h"

namespace switchyard {
namespace {

constexpr std::string_view kComponent = "ingest";
constexpr const char *kEventsReceived = "switchyard_events_received_total";
constexpr const char *kRequests = "switchyard_ingest_requests_total";
constexpr const char *kRequestSeconds = "switchyard_ingest_request_seconds";

struct Endpoint {
    const char *path;
    std::string_view type;      // empty: a batch, whose items carry their own type
    bool key_in_query = false;  // the write key is the `writeKey` query parameter (beacons carry no header)
};
constexpr Endpoint kEndpoints[] = {
    {"/v1/identify", "identify"}, {"/v1/track", "track"}, {"/v1/page", "page"},  {"/v1/screen", "screen"},
    {"/v1/group", "group"},       {"/v1/alias", "alias"}, {"/v1/batch", ""},     {"/v1/import", ""},
    // Segment analytics.js: the first letter of the type (segmentio/index.js), /b for its
    // batching dispatcher (batched-dispatcher.js); the write key in the body or Basic auth.
    {"/v1/t", "track"}, {"/v1/p", "page"}, {"/v1/i", "identify"}, {"/v1/g", "group"}, {"/v1/a", "alias"}, {"/v1/b", ""},
    // The RudderStack JS SDK's navigator.sendBeacon batches, as rudder-server's gateway
    // (beacon.go: the writeKey query parameter stands for the Basic header).
    {"/beacon/v1/batch", "", true},
};

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string error_body(std::string_view sentence) {
    std::string body = "{\"error\":";
    json::append_string(body, sentence);
    body += '}';
    return body;
}

void answer_error(httplib::Response &res, int status, std::string_view sentence) {
    res.status = status;
    res.set_content(error_body(sentence), "application/json");
}

// For answers given before the body was read whole: the rest of it is still on the socket,
// and on a kept-alive connection cpp-httplib would parse it as the next request. cpp-httplib
// 0.11 ignores a "Connection: close" set by the handler; a content provider that reports
// failure after writing the whole answer is the one way a handler can make it hang up.
void answer_error_and_close(httplib::Response &res, int status, std::string_view sentence) {
    res.status = status;
    res.set_header("Connection", "close");
    std::string body = error_body(sentence);
    const size_t body_length = body.size();
    res.set_content_provider(
        body_length, "application/json",
        [body = std::move(body)](size_t offset, size_t length, httplib::DataSink &sink) {
            sink.write(body.data() + offset, length);
            return false;  // answer complete; "failed" so that the server closes the connection
        });
}

// The client's address as RudderStack records it: the first X-Forwarded-For hop when a
// proxy set one, else the peer.
std::string client_ip(const httplib::Request &req) {
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    if (forwarded.empty()) return req.remote_addr;
    std::string_view first = std::string_view(forwarded).substr(0, forwarded.find(','));
    while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
    while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
    return std::string(first);
}

constexpr std::string_view kUnknownKey =
    "The write key is missing or unknown; send the source's write key as the HTTP Basic user name.";
constexpr std::string_view kUnknownQueryKey =
    "The write key is missing or unknown; send the source's write key as the writeKey query parameter.";
constexpr std::string_view kOriginRefused = "This source does not accept events from the page's origin (allowed_origins).";

constexpr std::string_view kStoreUnavailable =
    "The store's database file is gone or unwritable, so nothing was stored; retry later.";

}  // namespace

IngestApi::IngestApi(Store &store, Metrics &metrics, std::function<std::shared_ptr<const SourceTable>()> current_sources,
                     const IngestLimits &limits, std::function<bool()> store_healthy)
    : store_(store),
      metrics_(metrics),
      current_sources_(std::move(current_sources)),
      limits_(limits),
      store_healthy_(std::move(store_healthy)) {
    metrics_.declare(kEventsReceived, Metrics::Type::counter, "Events accepted and stored, per source.");
    metrics_.declare(kRequests, Metrics::Type::counter, "Ingestion requests answered, per HTTP status.");
    metrics_.declare(kRequestSeconds, Metrics::Type::histogram, "Time to answer an ingestion request.");
    filtering::declare_filtered_events_metric(metrics_);
}

void IngestApi::mount(httplib::Server &server) {
    // Refuses by Content-Length before reading; a compressed body never legitimately exceeds
    // its decompressed size by more than a few bytes per 16 KB block, hence the margin.
    server.set_payload_max_length(limits_.max_body_bytes + limits_.max_body_bytes / 64 + 1024);
    for (const Endpoint &endpoint : kEndpoints) {
        const std::string_view type = endpoint.type;
        const bool key_in_query = endpoint.key_in_query;
        server.Post(endpoint.path, [this, type, key_in_query](const httplib::Request &req, httplib::Response &res,
                                                              const httplib::ContentReader &reader) {
            const auto started = std::chrono::steady_clock::now();
            handle(req, res, reader, type, key_in_query);
            metrics_.add(kRequests, {{"code", std::to_string(res.status)}});
            metrics_.observe(kRequestSeconds, {},
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        });
        server.Options(endpoint.path, [this](const httplib::Request &req, httplib::Response &res) {
            ingest::answer_preflight(req, res, *current_sources_());
        });
    }
}

void IngestApi::handle(const httplib::Request &req, httplib::Response &res, const httplib::ContentReader &reader,
                       std::string_view path_type, bool key_in_query) {
    // Answers given before the body has been read whole close the connection; later ones need not.
    const std::shared_ptr<const SourceTable> sources = current_sources_();
    ingest::add_cors_headers(req, res, *sources);
    const IngestSource *source = nullptr;
    const std::string authorization = req.get_header_value("Authorization");
    if (key_in_query) {
        const std::string key = req.get_param_value("writeKey");
        source = ingest::find_source(*sources, key);
        if (source == nullptr) return answer_error_and_close(res, 401, kUnknownQueryKey);
    } else if (!authorization.empty()) {
        const std::optional<std::string> key = ingest::basic_auth_user(authorization);
        source = key ? ingest::find_source(*sources, *key) : nullptr;
        if (source == nullptr) return answer_error_and_close(res, 401, kUnknownKey);
    }
    std::string text;
    if (const ingest::BodyRead read = ingest::read_body(req, res, reader, limits_.max_body_bytes, text);
        read.status != 200)
        return answer_error_and_close(res, read.status, read.error);
    ingest::RequestBody body;
    const bool parsed = body.parse(text);
    if (source == nullptr) {
        // Segment's fallback: the key inside the body, when there was no header.
        const std::optional<std::string_view> key = parsed ? body.write_key() : std::nullopt;
        source = key ? ingest::find_source(*sources, *key) : nullptr;
        if (source == nullptr) return answer_error(res, 401, kUnknownKey);
    }
    if (const std::string origin = req.get_header_value("Origin");
        !origin.empty() && !ingest::origin_allowed(source->allowed_origins, origin))
        return answer_error(res, 403, kOriginRefused);
    if (!parsed) return answer_error(res, 400, body.error());
    const int64_t received_at = now_ms();
    ingest::BodyOutcome outcome = body.normalize(path_type, received_at, client_ip(req), limits_, source->trusted);
    if (outcome.status != 200) return answer_error(res, outcome.status, outcome.error);
    store_events(res, *source, std::move(outcome.events), received_at);
}

// The destinations of `source` that get `event`, each one's verdict recorded in `verdicts`.
std::vector<std::string> IngestApi::destinations_for(const IngestSource &source, const filtering::EventFacts &event,
                                                     std::vector<filtering::Verdict> &verdicts) const {
    std::vector<std::string> chosen;
    chosen.reserve(source.destinations.size());
    verdicts.assign(source.destinations.size(), filtering::Verdict::deliver);
    for (size_t i = 0; i < source.destinations.size(); ++i) {
        if (i < source.filters.size()) verdicts[i] = filtering::decide(source.filters[i], event);
        if (verdicts[i] == filtering::Verdict::deliver && suppressed_ && suppressed_(event.user_id, source.destinations[i]))
            verdicts[i] = filtering::Verdict::suppressed;
        if (verdicts[i] == filtering::Verdict::deliver) chosen.push_back(source.destinations[i]);
    }
    return chosen;
}

void IngestApi::store_events(httplib::Response &res, const IngestSource &source, std::vector<ingest::NormalizedEvent> events,
                      int64_t received_at) {
    if (store_healthy_ && !store_healthy_())  // the store logged what happened, once
        return answer_error(res, 503, kStoreUnavailable);
    const size_t accepted = events.size();
    std::vector<IncomingEvent> incoming;
    incoming.reserve(events.size());
    std::vector<std::vector<filtering::Verdict>> verdicts(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        std::vector<std::string> destinations = destinations_for(source, events[i].facts, verdicts[i]);
        if (destinations.empty() && !source.destinations.empty()) continue;  // filtered out everywhere: no job
        incoming.push_back(IncomingEvent{std::move(events[i].payload), std::move(events[i].user_key), std::move(destinations),
                                         source.source_id});
    }
    try {
        // A source with no destination connected has nothing to deliver: nothing to keep.
        if (!source.destinations.empty() && !incoming.empty()) store_.append(incoming, received_at);
    } catch (const std::exception &e) {
        log::error(kComponent, "Could not store " + std::to_string(incoming.size()) + " event(s) of source \"" +
                                   source.workspace + "/" + source.source_id + "\": " + e.what());
        return answer_error(res, 503, "The events could not be stored; retry later.");
    }
    metrics_.add(kEventsReceived, {{"source", source.source_id}, {"workspace", source.workspace}},
                 static_cast<double>(accepted));
    count_filtered(source, verdicts);
    res.status = 200;
    res.set_content("OK", "text/plain");
}

void IngestApi::count_filtered(const IngestSource &source, const std::vector<std::vector<filtering::Verdict>> &verdicts) {
    for (const std::vector<filtering::Verdict> &event : verdicts)
        for (size_t i = 0; i < event.size(); ++i)
            if (event[i] != filtering::Verdict::deliver)
                metrics_.add(filtering::kEventsFilteredMetric,
                             {{"destination", source.destinations[i]}, {"reason", std::string(filtering::reason_label(event[i]))}});
}

}  // namespace switchyard
