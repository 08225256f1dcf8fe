// The ingestion API, compatible with RudderStack's and Segment's HTTP APIs:
// POST /v1/identify|track|page|screen|group|alias|batch with HTTP Basic auth (write key as
// user name); analytics.js's short paths /v1/t|p|i|g|a|b; the RudderStack JS SDK's
// /beacon/v1/batch?writeKey=…; CORS for browsers (cors.h). Answers 200 only after the events are
// durable in the store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host/filtering/delivery_filter.h"

namespace httplib {
class Server;
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace switchyard {
namespace ingest {
struct NormalizedEvent;
}

class Store;
class Metrics;

// A source as ingestion sees it: who may write, and where its events go.
struct IngestSource {
    std::string write_key;                  // secret: compared in constant time, never logged
    std::string workspace;
    std::string source_id;
    std::vector<std::string> destinations;  // destination keys "<workspace>/<destination id>"
    bool trusted = false;                   // may send pre-built destination requests (workspace `trusted`)
    // Each destination's event filter and consent, by the index of `destinations`; a destination
    // beyond its end filters nothing.
    std::vector<filtering::DeliveryFilter> filters = {};
    // Web origins ("https://shop.example.com") whose pages may send; empty: any (cors.h).
    std::vector<std::string> allowed_origins = {};
    bool operator==(const IngestSource &) const = default;  // reload diffs only; auth compares in constant time
};
using SourceTable = std::vector<IngestSource>;

struct IngestLimits {
    size_t max_body_bytes = size_t{4} * 1024 * 1024;  // decompressed request body; larger → 413
    size_t max_batch_events = 2000;                   // events in one /v1/batch; more → 413
    size_t max_event_bytes = size_t{256} * 1024;      // one event's JSON; larger → that request 413
    size_t max_nesting_depth = 32;                    // objects and arrays in one event, itself level 1; deeper → 400
    size_t max_string_bytes = size_t{64} * 1024;      // one string value or member name; longer → 400
};

// `current_sources` returns the routing snapshot in force (hot reload swaps it); called once
// per request, from many threads. `store_healthy`, when given, says whether the store can still
// keep what it acknowledges (its database file is in place); while false, events get 503.
class IngestApi {
   public:
    IngestApi(Store &store, Metrics &metrics, std::function<std::shared_ptr<const SourceTable>()> current_sources,
              const IngestLimits &limits = {}, std::function<bool()> store_healthy = {});
    // Whether a regulation suppresses a userId for a destination key; set before mount(). Such
    // events are not stored for that destination (counted, reason "suppressed").
    using Suppressed = std::function<bool(std::string_view user_id, std::string_view destination)>;
    void suppress_with(Suppressed suppressed) { suppressed_ = std::move(suppressed); }
    // Adds the POST and OPTIONS routes, and sets the server's payload limit (Content-Length) from `limits`.
    void mount(httplib::Server &server);

   private:
    void handle(const httplib::Request &req, httplib::Response &res, const httplib::ContentReader &reader,
                std::string_view path_type, bool key_in_query);
    void store_events(httplib::Response &res, const IngestSource &source, std::vector<ingest::NormalizedEvent> events,
               int64_t received_at);
    std::vector<std::string> destinations_for(const IngestSource &source, const filtering::EventFacts &event,
                                              std::vector<filtering::Verdict> &verdicts) const;
    void count_filtered(const IngestSource &source, const std::vector<std::vector<filtering::Verdict>> &verdicts);

    Store &store_;
    Metrics &metrics_;
    std::function<std::shared_ptr<const SourceTable>()> current_sources_;
    IngestLimits limits_;
    std::function<bool()> store_healthy_;
    Suppressed suppressed_;
};

}  // namespace switchyard
