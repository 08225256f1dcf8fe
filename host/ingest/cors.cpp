// CORS decisions and headers of the ingestion API.
#include "host/ingest/cors.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace switchyard::ingest {
namespace {

// What the SDKs send: Basic auth, a JSON or text/plain body (gzip from the Node SDK), the
// RudderStack JS SDK's AnonymousId and SentAt headers (@rudderstack/analytics-js 3.34, seen in
// Chromium), analytics.js's X-Retry-Count on retries.
constexpr const char *kAllowedHeaders =
    "Authorization, Content-Type, Content-Encoding, AnonymousId, SentAt, X-Retry-Count";
constexpr const char *kAllowedMethods = "POST, OPTIONS";
// How long a browser may cache a preflight answer: rudder-server's 15 minutes (gateway.go, MaxAge 900).
constexpr const char *kPreflightMaxAgeSeconds = "900";

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

void allow(httplib::Response &response, const std::string &origin) {
    response.set_header("Access-Control-Allow-Origin", origin);
    response.set_header("Access-Control-Allow-Credentials", "true");
}

}  // namespace

bool origin_allowed(const std::vector<std::string> &allowed, std::string_view origin) {
    if (allowed.empty()) return true;
    return std::any_of(allowed.begin(), allowed.end(),
                       [origin](const std::string &entry) { return equal_ignoring_case(entry, origin); });
}

bool any_source_allows(const SourceTable &sources, std::string_view origin) {
    return std::any_of(sources.begin(), sources.end(),
                       [origin](const IngestSource &source) { return origin_allowed(source.allowed_origins, origin); });
}

void add_cors_headers(const httplib::Request &request, httplib::Response &response, const SourceTable &sources) {
    response.set_header("Vary", "Origin");
    const std::string origin = request.get_header_value("Origin");
    if (!origin.empty() && any_source_allows(sources, origin)) allow(response, origin);
}

void answer_preflight(const httplib::Request &request, httplib::Response &response, const SourceTable &sources) {
    response.set_header("Vary", "Origin");
    const std::string origin = request.get_header_value("Origin");
    if (origin.empty() || !any_source_allows(sources, origin)) {
        response.status = 403;
        return;
    }
    allow(response, origin);
    response.set_header("Access-Control-Allow-Methods", kAllowedMethods);
    response.set_header("Access-Control-Allow-Headers", kAllowedHeaders);
    response.set_header("Access-Control-Max-Age", kPreflightMaxAgeSeconds);
    response.status = 204;
}

}  // namespace switchyard::ingest
