// The README's four deliberate differences from the reference, each asserted on its own,
// plus the router-mode contracts around them (limits, registrations, rate keys). All
// through the C ABI.
#include <gtest/gtest.h>

#include "conformance_support.h"

namespace iterable_test {
namespace {

const json kConfig = {{"apiKey", "main-key"}, {"registerDeviceOrBrowserApiKey", "device-key"}, {"trackAllPages", true}};

std::string identify(const std::string &user, const json &traits = json::object()) {
    json t = traits;
    t["email"] = user + "@example.com";
    return json({{"type", "identify"}, {"userId", user}, {"traits", t}}).dump();
}
std::string track(const std::string &user, const std::string &event = "Clicked") {
    return json({{"type", "track"}, {"userId", user}, {"event", event}, {"properties", {{"x", 1}}}}).dump();
}
std::string catalog_item(const std::string &type, const std::string &id) {
    return json({{"type", "identify"}, {"userId", id}, {"traits", {{"name", id}}},
                 {"context", {{"mappedToDestination", true},
                              {"externalId", json::array({{{"id", id}, {"type", "ITERABLE-" + type}, {"identifierType", "itemId"}}})}}}})
        .dump();
}

std::vector<json> router(const std::vector<std::string> &events, const json &config = kConfig) {
    return run_events(*make_destination(config), events, Mode::router);
}

std::string endpoint_of(const json &entry) { return entry["requests"][0]["endpoint"]; }

// Difference 1: the reference emits every bulkUpdate batch before every trackBulk batch, so a
// user's identify that came after that user's track would leave first. Here it does not.
TEST(IterableDifference1, UserOrderIsKeptAcrossBulkEndpoints) {
    std::vector<json> out = router({track("u1"), identify("u1")});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(endpoint_of(out[0]), "https://api.iterable.com/api/events/trackBulk");
    EXPECT_EQ(out[0]["indexes"], json::array({0}));
    EXPECT_EQ(endpoint_of(out[1]), "https://api.iterable.com/api/users/bulkUpdate");
    EXPECT_EQ(out[1]["indexes"], json::array({1}));
}

TEST(IterableDifference1, OtherUsersStayBatchedAndUnbatchedCallsWaitForTheirUser) {
    std::string purchase = json({{"type", "track"}, {"userId", "u2"}, {"event", "Order Completed"},
                                 {"properties", {{"total", 5}, {"product_id", "p"}, {"name", "n"}, {"price", 5}, {"quantity", 1}}}})
                               .dump();
    std::vector<json> out = router({identify("u1"), identify("u2"), track("u3"), purchase, track("u1")});
    ASSERT_EQ(out.size(), 3u);
    // u2's purchase first flushes the users batch that holds u2's identify (and u1's with it).
    EXPECT_EQ(endpoint_of(out[0]), "https://api.iterable.com/api/users/bulkUpdate");
    EXPECT_EQ(out[0]["indexes"], json::array({0, 1}));
    EXPECT_EQ(endpoint_of(out[1]), "https://api.iterable.com/api/commerce/trackPurchase");
    EXPECT_EQ(endpoint_of(out[2]), "https://api.iterable.com/api/events/trackBulk");
    EXPECT_EQ(out[2]["indexes"], json::array({2, 4}));
}

TEST(IterableDifference1, AUserMovingBetweenBulkCallsDoesNotCutOtherUsersBatches) {
    // u0 goes identify, track, identify; u1 and u2 identify and u3 tracks in between. Sending a
    // batch whenever u0 moves on would take 4 bulk calls; the planner needs 3, u0's in order.
    std::vector<json> out =
        router({identify("u0"), identify("u1"), track("u0"), identify("u2"), identify("u0"), track("u3")});
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(endpoint_of(out[0]), "https://api.iterable.com/api/users/bulkUpdate");
    EXPECT_EQ(out[0]["indexes"], json::array({0, 1, 3}));
    EXPECT_EQ(endpoint_of(out[1]), "https://api.iterable.com/api/events/trackBulk");
    EXPECT_EQ(out[1]["indexes"], json::array({2, 5}));
    EXPECT_EQ(endpoint_of(out[2]), "https://api.iterable.com/api/users/bulkUpdate");
    EXPECT_EQ(out[2]["indexes"], json::array({4}));
}

// Difference 2: an item over 4,000,000 bytes on its own is an error, never an empty batch.
TEST(IterableDifference2, OversizedItemIsAnErrorNotAnEmptyBatch) {
    std::string huge(4'000'100, 'x');
    std::vector<json> out = router({identify("big", {{"blob", huge}}), identify("small")});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(endpoint_of(out[0]), "https://api.iterable.com/api/users/bulkUpdate");
    EXPECT_EQ(out[0]["indexes"], json::array({1}));
    EXPECT_EQ(out[0]["requests"][0]["body"]["users"].size(), 1u);
    EXPECT_EQ(out[1]["indexes"], json::array({0}));
    EXPECT_EQ(out[1]["status"], 400);
    EXPECT_EQ(out[1]["error"], "Event is larger than the 4000000-byte limit of users/bulkUpdate.");
}

TEST(IterableDifference2, BulkCallsAreCutAtTheByteLimit) {
    std::string big(1'500'000, 'y');
    std::vector<json> out = router({identify("a", {{"b", big}}), identify("b", {{"b", big}}), identify("c", {{"b", big}})});
    ASSERT_EQ(out.size(), 2u);  // as the reference: [2 users] + [1 user]
    EXPECT_EQ(out[0]["indexes"], json::array({0, 1}));
    EXPECT_EQ(out[1]["indexes"], json::array({2}));
}

TEST(IterableRouter, BulkCallsCarryAtMost1000Items) {
    std::vector<std::string> events;
    for (int i = 0; i < 2001; ++i) events.push_back(track("u" + std::to_string(i)));
    std::vector<json> out = router(events);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0]["requests"][0]["body"]["events"].size(), 1000u);
    EXPECT_EQ(out[1]["requests"][0]["body"]["events"].size(), 1000u);
    EXPECT_EQ(out[2]["requests"][0]["body"]["events"].size(), 1u);
}

// Difference 3: each catalog's documents go to that catalog's URL.
TEST(IterableDifference3, CatalogDocumentsGoToTheirOwnCatalog) {
    std::vector<json> out = router({catalog_item("shoes", "s1"), catalog_item("hats", "h1"), catalog_item("shoes", "s2")});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(endpoint_of(out[0]), "https://api.iterable.com/api/catalogs/shoes/items");
    EXPECT_EQ(out[0]["indexes"], json::array({0, 2}));
    EXPECT_EQ(out[0]["requests"][0]["body"],
              json({{"documents", {{"s1", {{"name", "s1"}}}, {"s2", {{"name", "s2"}}}}}, {"replaceUploadedFieldsOnly", true}}));
    EXPECT_EQ(endpoint_of(out[1]), "https://api.iterable.com/api/catalogs/hats/items");
    EXPECT_EQ(out[1]["requests"][0]["body"]["documents"], json({{"h1", {{"name", "h1"}}}}));
}

// Difference 4: the key travels in the header Iterable documents, Api-Key.
TEST(IterableDifference4, ApiKeyHeaderIsSpelledApiKey) {
    json device = json::parse(identify("u1"));
    device["context"] = {{"device", {{"token", "tok"}, {"type", "ios"}}}};
    std::vector<json> out = run_events(*make_destination(kConfig), {device.dump()}, Mode::processor);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0]["requests"][0]["headers"], json({{"Content-Type", "application/json"}, {"Api-Key", "main-key"}}));
    EXPECT_EQ(out[1]["requests"][0]["headers"], json({{"Content-Type", "application/json"}, {"Api-Key", "device-key"}}));
}

TEST(IterableRouter, TokenRegistrationFollowsTheBulkCallOfItsIdentify) {
    json device = json::parse(identify("u1"));
    device["context"] = {{"device", {{"token", "tok"}, {"type", "android"}}}};
    std::vector<json> out = router({identify("u0"), device.dump()});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(endpoint_of(out[0]), "https://api.iterable.com/api/users/bulkUpdate");
    EXPECT_EQ(out[0]["indexes"], json::array({0, 1}));
    EXPECT_EQ(endpoint_of(out[1]), "https://api.iterable.com/api/users/registerDeviceToken");
    EXPECT_EQ(out[1]["indexes"], json::array({1}));
    EXPECT_EQ(out[1]["requests"][0]["body"]["device"], json({{"token", "tok"}, {"platform", "GCM"}}));
}

TEST(IterableRouter, RequestsNameTheirRateKeyAndThePluginListsTheLimits) {
    std::vector<json> out = router({identify("u1"), track("u2")});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0]["requests"][0]["rate_key"], "users/bulkUpdate");
    EXPECT_EQ(out[1]["requests"][0]["rate_key"], "events/trackBulk");
    auto destination = make_destination({{"apiKey", "k"}, {"rateLimits", {{"events/trackBulk", 3}}}});
    std::map<std::string, double> limits;
    for (const sy_rate_limit &l : destination->rate_limits())
        limits[std::string(l.rate_key.ptr, l.rate_key.len)] = l.requests_per_second;
    EXPECT_EQ(limits.at("events/trackBulk"), 3);
    EXPECT_EQ(limits.at("users/bulkUpdate"), 5);
    EXPECT_EQ(limits.at("events/track"), 2000);
    EXPECT_EQ(limits.at("catalogs"), 100);
}

TEST(IterableAbi, InitRefusesBadSettingsWithOneSentence) {
    std::string error;
    auto d = switchyard::Destination::create(iterable_plugin(), "x", R"({"apiKey":"s3cret","dataCenter":"XX"})", error);
    EXPECT_EQ(d, nullptr);
    EXPECT_NE(error.find("Setting \"dataCenter\" must be USDC or EUDC, got \"XX\"."), std::string::npos) << error;
    EXPECT_EQ(error.find("s3cret"), std::string::npos);
}

TEST(IterableAbi, SendWithNoAnswerRetries) {
    // Port 9 (discard) on loopback: nothing listens, so the connection is refused.
    auto destination = make_destination({{"apiKey", "k"}, {"endpoint", "http://127.0.0.1:9/api/"}, {"connectTimeoutMs", 500}});
    const std::string url = "http://127.0.0.1:9/api/events/track", body = "{}";
    const uint32_t index = 0;
    sy_request request{};
    request.struct_size = sizeof request;
    request.method = {"POST", 4};
    request.url = {url.data(), url.size()};
    request.body = {body.data(), body.size()};
    request.event_indexes = &index;
    request.event_count = 1;
    switchyard::SendResult result = destination->send(request);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->fields.outcome, SY_RETRY);
    EXPECT_EQ(result->fields.http_status, 0u);
}

}  // namespace
}  // namespace iterable_test
