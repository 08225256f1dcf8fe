// What browser SDKs need of the ingestion API, over real loopback HTTP: CORS preflights and
// origins (a source's allowed_origins), the RudderStack JS SDK's beacon path with its write key in
// the query, and Segment analytics.js's short paths with the write key in a text/plain body.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "tests/ingest/http_fixture.h"

namespace switchyard::ingest_testing {
namespace {

using nlohmann::json;

constexpr const char *kShopKey = "wk-shop-77e1";
constexpr const char *kShopOrigin = "https://shop.example.com";

// Every source lists its origins, so an origin none of them names is refused at preflight.
SourceTable listed_origins_only() {
    return {
        {kWebKey, "acme", "web", kWebDestinations, false, {}, {"http://127.0.0.1:3000"}},
        {kShopKey, "acme", "shop", kWebDestinations, false, {}, {kShopOrigin}},
    };
}

httplib::Result preflight(const TestHost &host, const std::string &path, const std::string &origin) {
    httplib::Client client = host.client("");
    httplib::Headers headers = {{"Access-Control-Request-Method", "POST"},
                                {"Access-Control-Request-Headers", "authorization,content-type,anonymousid"}};
    if (!origin.empty()) headers.emplace("Origin", origin);
    return client.Options(path.c_str(), headers);
}

TEST(IngestBrowser, PreflightIsAllowedForAnOriginSomeSourceAllows) {
    TestHost host(listed_origins_only());
    for (const char *path : {"/v1/track", "/v1/batch", "/v1/t", "/v1/b", "/beacon/v1/batch"}) {
        SCOPED_TRACE(path);
        const httplib::Result result = preflight(host, path, kShopOrigin);
        ASSERT_EQ(status_of(result), 204);
        EXPECT_EQ(result->get_header_value("Access-Control-Allow-Origin"), kShopOrigin);
        EXPECT_EQ(result->get_header_value("Access-Control-Allow-Credentials"), "true");
        EXPECT_EQ(result->get_header_value("Access-Control-Allow-Methods"), "POST, OPTIONS");
        const std::string allowed_headers = result->get_header_value("Access-Control-Allow-Headers");
        for (const char *header : {"Authorization", "Content-Type", "AnonymousId", "SentAt"})
            EXPECT_NE(allowed_headers.find(header), std::string::npos) << header;
        EXPECT_EQ(result->get_header_value("Access-Control-Max-Age"), "900");
        EXPECT_EQ(result->get_header_value("Vary"), "Origin");
    }
}

TEST(IngestBrowser, PreflightFromAnOriginNoSourceAllowsIsRefusedWithoutAllowHeaders) {
    TestHost host(listed_origins_only());
    for (const std::string origin : {"https://evil.example.com", "https://shop.example.com:8443", ""}) {
        SCOPED_TRACE(origin);
        const httplib::Result result = preflight(host, "/v1/track", origin);
        ASSERT_EQ(status_of(result), 403);
        EXPECT_FALSE(result->has_header("Access-Control-Allow-Origin"));
        EXPECT_FALSE(result->has_header("Access-Control-Allow-Methods"));
    }
}

TEST(IngestBrowser, PreflightOnAPathThatIsNoIngestionRouteIsNotFound) {
    TestHost host;
    EXPECT_EQ(status_of(preflight(host, "/v1/x", kShopOrigin)), 404);
    EXPECT_EQ(status_of(preflight(host, "/beacon/v1/track", kShopOrigin)), 404);
}

TEST(IngestBrowser, ASourceWithoutAllowedOriginsLetsAnyOriginIn) {
    TestHost host;  // no source lists origins
    const httplib::Result result = preflight(host, "/v1/page", "http://localhost:5173");
    ASSERT_EQ(status_of(result), 204);
    EXPECT_EQ(result->get_header_value("Access-Control-Allow-Origin"), "http://localhost:5173");

    httplib::Client client = host.client();
    const httplib::Result sent =
        client.Post("/v1/track", {{"Origin", "http://localhost:5173"}}, R"({"event":"e","userId":"u"})", "application/json");
    ASSERT_EQ(status_of(sent), 200);
    EXPECT_EQ(sent->get_header_value("Access-Control-Allow-Origin"), "http://localhost:5173");
    EXPECT_EQ(host.store.stored().size(), 1u);
}

TEST(IngestBrowser, ARealRequestIsHeldToItsOwnSourcesOrigins) {
    TestHost host(listed_origins_only());
    httplib::Client shop = host.client(kShopKey);
    const std::string body = R"({"event":"Viewed","userId":"u1"})";

    const httplib::Result allowed = shop.Post("/v1/track", {{"Origin", "https://SHOP.example.com"}}, body, "text/plain");
    ASSERT_EQ(status_of(allowed), 200) << allowed->body;
    EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), "https://SHOP.example.com");
    EXPECT_EQ(allowed->get_header_value("Vary"), "Origin");
    ASSERT_EQ(host.store.stored().size(), 1u);

    // The web source's origin passes preflight, but the shop source does not accept it.
    const httplib::Result other = shop.Post("/v1/track", {{"Origin", "http://127.0.0.1:3000"}}, body, "text/plain");
    ASSERT_EQ(status_of(other), 403);
    EXPECT_EQ(error_of(other), "This source does not accept events from the page's origin (allowed_origins).");
    EXPECT_EQ(host.store.stored().size(), 1u);

    // Servers send no Origin: allowed_origins does not concern them.
    ASSERT_EQ(status_of(shop.Post("/v1/track", body, "application/json")), 200);
    EXPECT_EQ(host.store.stored().size(), 2u);
}

TEST(IngestBrowser, BeaconBatchTakesTheWriteKeyFromTheQueryAndATextPlainBody) {
    TestHost host;
    httplib::Client client = host.client("");  // sendBeacon sends no Authorization header
    const std::string body =
        R"({"batch":[{"type":"track","event":"Left","anonymousId":"a1","messageId":"m1"},)"
        R"({"type":"page","name":"Home","anonymousId":"a1","messageId":"m2"}],"sentAt":"2024-05-01T08:00:00.000Z"})";
    const httplib::Result result =
        client.Post((std::string("/beacon/v1/batch?writeKey=") + kWebKey).c_str(), body, "text/plain;charset=UTF-8");
    ASSERT_EQ(status_of(result), 200) << (result ? result->body : "");
    const std::vector<json> stored = host.store.stored_payloads();
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0]["type"], "track");
    EXPECT_EQ(stored[1]["type"], "page");
    EXPECT_EQ(host.store.stored()[0].destinations, kWebDestinations);

    for (const std::string query : {"", "?writeKey=", "?writeKey=wk-wrong"}) {
        SCOPED_TRACE(query);
        const httplib::Result refused = client.Post(("/beacon/v1/batch" + query).c_str(), body, "text/plain");
        ASSERT_EQ(status_of(refused), 401);
        EXPECT_EQ(error_of(refused),
                  "The write key is missing or unknown; send the source's write key as the writeKey query parameter.");
    }
    EXPECT_EQ(host.store.stored().size(), 2u);
}

TEST(IngestBrowser, EachSegmentShortPathStoresItsTypeWithTheWriteKeyInTheBody) {
    TestHost host;
    httplib::Client client = host.client("");  // the key travels in the body only
    const std::pair<const char *, const char *> paths[] = {
        {"/v1/t", "track"}, {"/v1/p", "page"}, {"/v1/i", "identify"}, {"/v1/g", "group"}, {"/v1/a", "alias"}};
    for (const auto &[path, type] : paths) {
        SCOPED_TRACE(path);
        const json body = {{"writeKey", kWebKey}, {"type", type},     {"event", "Clicked"},
                           {"userId", "u1"},      {"groupId", "g1"},  {"previousId", "p1"}};
        const httplib::Result result = client.Post(path, body.dump(), "text/plain");
        ASSERT_EQ(status_of(result), 200) << (result ? result->body : "");
        EXPECT_EQ(host.store.stored_payloads().back()["type"], type);
        EXPECT_FALSE(host.store.stored_payloads().back().contains("writeKey"));
    }
    const json batch = {{"writeKey", kWebKey},
                        {"batch", {{{"type", "track"}, {"event", "A"}, {"userId", "u1"}},
                                   {{"type", "identify"}, {"userId", "u1"}}}}};
    ASSERT_EQ(status_of(client.Post("/v1/b", batch.dump(), "text/plain")), 200);
    EXPECT_EQ(host.store.stored().size(), 7u);

    json wrong = batch;
    wrong["writeKey"] = "wk-wrong";
    for (const char *path : {"/v1/t", "/v1/b"}) {
        const httplib::Result refused = client.Post(path, wrong.dump(), "text/plain");
        EXPECT_EQ(status_of(refused), 401) << path;
    }
    EXPECT_EQ(host.store.stored().size(), 7u);
}

}  // namespace
}  // namespace switchyard::ingest_testing
