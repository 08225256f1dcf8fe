// One request body of the ingestion API, parsed once: the write key it may carry and its
// events, normalised all or nothing.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/ingest/ingest_api.h"
#include "host/ingest/normalize.h"

namespace switchyard::ingest {

struct BodyOutcome {
    int status = 200;   // 200, or 400 / 413 with `error`
    std::string error;  // one sentence
    std::vector<NormalizedEvent> events;  // in request order; empty unless status is 200
};

class RequestBody {
   public:
    // Parses `body` (its capacity is grown for simdjson's padding if needed). False when it
    // is not JSON or not an object; `error()` says why. Until a parse succeeds, write_key()
    // is nullopt and normalize() refuses with that error.
    bool parse(std::string &body);
    const std::string &error() const { return error_; }

    // Segment lets a body carry `writeKey` instead of the Basic header.
    std::optional<std::string_view> write_key() const;

    // Every event normalised, or the first refusal: a bad item fails the whole request so
    // nothing of it is stored and the SDK's retry is clean. `path_type` is empty for
    // /v1/batch (and /v1/import), whose items name their own type. `accept_prebuilt`: the
    // source is trusted with pre-built destination requests.
    BodyOutcome normalize(std::string_view path_type, int64_t received_at_ms, std::string_view client_ip,
                          const IngestLimits &limits, bool accept_prebuilt = false) const;

   private:
    BodyOutcome normalize_batch(EventContext &context, const IngestLimits &limits) const;

    simdjson::dom::parser parser_;
    simdjson::dom::element root_element_;
    simdjson::dom::object root_;
    std::string error_;
    bool parsed_ = false;  // root_ is valid only once parse() succeeded
};

}  // namespace switchyard::ingest
