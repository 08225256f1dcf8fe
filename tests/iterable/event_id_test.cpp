// Setting eventIdFromMessageId, through the C ABI: off, every body is the reference's; on, each
// events/track body, events/trackBulk item (track, page, screen) and trackPurchase carries the
// messageId as `id`, except that a purchase keeps its order id (as Segment's destination does).
#include <gtest/gtest.h>

#include "conformance_support.h"

namespace iterable_test {
namespace {

const json kOff = {{"apiKey", "k"}, {"trackAllPages", true}};
const json kOn = {{"apiKey", "k"}, {"trackAllPages", true}, {"eventIdFromMessageId", true}};

json event(const std::string &type, const std::string &message_id, const json &properties = json::object()) {
    json e = {{"type", type}, {"userId", "u"}, {"messageId", message_id}, {"properties", properties}};
    if (type == "track") e["event"] = "Clicked";
    return e;
}

json purchase(const std::string &message_id, const json &order) {
    json properties = {{"total", 5}, {"product_id", "p"}, {"name", "n"}, {"price", 5}, {"quantity", 1}};
    properties.update(order);
    json e = {{"type", "track"}, {"userId", "u"}, {"event", "Order Completed"}, {"messageId", message_id},
              {"properties", properties}};
    return e;
}

// The body of the one request processor mode makes for `e`.
json processor_body(const json &config, const json &e) {
    std::vector<json> out = run_events(*make_destination(config), {e.dump()}, Mode::processor);
    EXPECT_EQ(out.size(), 1u);
    EXPECT_TRUE(out.at(0).contains("requests")) << out.at(0).dump();
    return out.at(0)["requests"][0]["body"];
}

TEST(IterableEventIdFromMessageId, OffKeepsTheReferenceIds) {
    for (const char *type : {"track", "page", "screen"})
        EXPECT_FALSE(processor_body(kOff, event(type, "m-1")).contains("id")) << type;
    EXPECT_EQ(processor_body(kOff, event("track", "m-1", {{"event_id", "e-7"}}))["id"], "e-7");
    EXPECT_FALSE(processor_body(kOff, purchase("m-1", json::object())).contains("id"));
    EXPECT_EQ(processor_body(kOff, purchase("m-1", {{"order_id", "o-9"}}))["id"], "o-9");
}

TEST(IterableEventIdFromMessageId, OnEventsTrackCarriesTheMessageId) {
    for (const char *type : {"track", "page", "screen"})
        EXPECT_EQ(processor_body(kOn, event(type, "m-1"))["id"], "m-1") << type;
}

TEST(IterableEventIdFromMessageId, OnTheMessageIdWinsOverPropertiesEventIdWhichStaysTheFallback) {
    EXPECT_EQ(processor_body(kOn, event("track", "m-1", {{"event_id", "e-7"}}))["id"], "m-1");
    json without = event("track", "", {{"event_id", "e-7"}});
    without.erase("messageId");
    EXPECT_EQ(processor_body(kOn, without)["id"], "e-7");
}

TEST(IterableEventIdFromMessageId, OnPurchaseKeepsItsOrderIdElseTakesTheMessageId) {
    EXPECT_EQ(processor_body(kOn, purchase("m-1", {{"order_id", "o-9"}}))["id"], "o-9");
    EXPECT_EQ(processor_body(kOn, purchase("m-1", json::object()))["id"], "m-1");
}

TEST(IterableEventIdFromMessageId, OnEveryTrackBulkItemCarriesItsMessageId) {
    std::vector<std::string> events = {event("track", "m-1").dump(), event("page", "m-2").dump(),
                                       event("screen", "m-3").dump()};
    std::vector<json> on = run_events(*make_destination(kOn), events, Mode::router);
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0]["requests"][0]["endpoint"], "https://api.iterable.com/api/events/trackBulk");
    const json &items = on[0]["requests"][0]["body"]["events"];
    ASSERT_EQ(items.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(items[i]["id"], "m-" + std::to_string(i + 1));
    std::vector<json> off = run_events(*make_destination(kOff), events, Mode::router);
    for (const json &item : off.at(0)["requests"][0]["body"]["events"]) EXPECT_FALSE(item.contains("id"));
}

}  // namespace
}  // namespace iterable_test
