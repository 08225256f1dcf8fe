// CORS for browser SDKs: which web origins may call the ingestion API, and the headers that say so.
//
// A source's `allowed_origins` (workspace YAML) lists them; an empty list allows any origin, as
// rudder-server does (gateway.go: AllowOriginFunc reflects every origin, AllowCredentials true).
// The allowed origin is echoed, never `*`: a browser refuses `*` on a request sent with
// credentials (XMLHttpRequest.withCredentials, fetch's credentials: "include"), which SDKs may use.
// A preflight carries no write key, so it is allowed when ANY source allows the origin; the real
// request is then held to its own source's list (403 otherwise), so nothing of it is stored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/ingest/ingest_api.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace switchyard::ingest {

// Whether `origin` (an Origin header) is in `allowed` (lower-case `scheme://host[:port]` entries);
// an empty list allows every origin.
bool origin_allowed(const std::vector<std::string> &allowed, std::string_view origin);

// Whether any source of `sources` allows `origin`.
bool any_source_allows(const SourceTable &sources, std::string_view origin);

// On every ingestion answer: `Vary: Origin` always (caches must not reuse one origin's answer for
// another), and the allow headers when the request came from an origin some source allows.
void add_cors_headers(const httplib::Request &request, httplib::Response &response, const SourceTable &sources);

// The answer to `OPTIONS` on an ingestion path: 204 with the allowed methods and headers when
// some source allows the origin, else 403 without them (the browser then refuses the call).
void answer_preflight(const httplib::Request &request, httplib::Response &response, const SourceTable &sources);

}  // namespace switchyard::ingest
