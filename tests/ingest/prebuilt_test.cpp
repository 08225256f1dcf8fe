// Pre-built destination requests (a top-level "statusCode") over the ingestion API: refused
// with 400 and nothing stored from an ordinary source, kept as sent from a trusted one.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "host/ingest/normalize.h"
#include "tests/ingest/http_fixture.h"

namespace switchyard::ingest_testing {
namespace {

using nlohmann::json;

// The shape the Iterable plugin passes through in router mode: the sender chooses the
// endpoint and the body, the host would add the destination's API key.
json prebuilt_request(const std::string &user) {
    return {{"userId", user},
            {"statusCode", 200},
            {"method", "POST"},
            {"endpoint", "https://api.iterable.com/api/users/update"},
            {"body", {{"JSON", {{"userId", user}, {"dataFields", {{"chosen", "by the sender"}}}}}}}};
}

TEST(IngestPrebuilt, FromAnOrdinarySourceIs400WithASentenceAndStoresNothing) {
    TestHost host;
    const httplib::Result single = host.client(kWebKey).Post("/v1/track", prebuilt_request("u1").dump(), "application/json");
    ASSERT_EQ(status_of(single), 400);
    EXPECT_EQ(error_of(single),
              "The event was refused because it has a top-level \"statusCode\", the mark of a request already built "
              "for a destination, which only a source marked \"trusted\" may send.");
    // In a batch, one such item refuses the whole request, the good item before it included.
    json prebuilt_item = prebuilt_request("u1");
    prebuilt_item["type"] = "identify";
    const json batch = {{"batch", json::array({{{"type", "track"}, {"userId", "u1"}, {"event", "E"}}, prebuilt_item})}};
    const httplib::Result batched = host.client(kWebKey).Post("/v1/batch", batch.dump(), "application/json");
    ASSERT_EQ(status_of(batched), 400);
    EXPECT_NE(error_of(batched).find("Batch item 1 was refused because it has a top-level \"statusCode\""),
              std::string::npos)
        << error_of(batched);
    EXPECT_EQ(host.store.append_calls(), 0);
    EXPECT_TRUE(host.store.stored().empty());
}

TEST(IngestPrebuilt, FromATrustedSourceIsStoredAsSent) {
    TestHost host;
    ASSERT_EQ(status_of(host.client(kWarehouseKey).Post("/v1/identify", prebuilt_request("u1").dump(), "application/json")),
              200);
    const std::vector<json> stored = host.store.stored_payloads();
    ASSERT_EQ(stored.size(), 1u);
    for (const char *member : {"statusCode", "method", "endpoint", "body"})
        EXPECT_EQ(stored[0][member], prebuilt_request("u1")[member]) << member;
    EXPECT_EQ(host.store.stored()[0].destinations, kWebDestinations);
}

TEST(IngestPrebuilt, AStatusCodeInsidePropertiesIsAnOrdinaryProperty) {
    TestHost host;
    const json event = {{"userId", "u1"}, {"event", "Request Failed"}, {"properties", {{"statusCode", 503}}}};
    ASSERT_EQ(status_of(host.client(kWebKey).Post("/v1/track", event.dump(), "application/json")), 200);
    ASSERT_EQ(host.store.stored_payloads().size(), 1u);
    EXPECT_EQ(host.store.stored_payloads()[0]["properties"]["statusCode"], 503);
}

// The plugin needs nothing but the member: with no endpoint or body, or a null value, it still
// takes the event for a pre-built request, so the host refuses it too. A plugin reads the
// member by its unescaped name, whichever of two duplicates: so does the host.
TEST(IngestPrebuilt, TheMarkAloneIsEnoughInAnySpelling) {
    const ingest::EventContext untrusted{"track", 0, "203.0.113.7", nullptr};
    for (const std::string text : {R"({"userId":"u1","statusCode":null})", R"({"userId":"u1","statusCode":"x"})",
                                   R"({"userId":"u1","status\u0043ode":200})",
                                   R"({"userId":"u1","a":1,"statusCode":1,"statusCode":2})"}) {
        SCOPED_TRACE(text);
        EXPECT_NE(ingest::normalize_event_text(text, untrusted).error.find("top-level \"statusCode\""), std::string::npos);
        ingest::EventContext trusted = untrusted;
        trusted.accept_prebuilt = true;
        EXPECT_EQ(ingest::normalize_event_text(text, trusted).error, "");
    }
    // Names that only resemble it are ordinary members.
    for (const std::string text : {R"({"userId":"u1","StatusCode":200})", R"({"userId":"u1","statusCode ":200})"})
        EXPECT_EQ(ingest::normalize_event_text(text, untrusted).error, "") << text;
}

}  // namespace
}  // namespace switchyard::ingest_testing
