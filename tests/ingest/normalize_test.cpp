// Per-event normalisation rules, on JSON text in and out (no socket).
#include "host/ingest/normalize.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

namespace switchyard::ingest {
namespace {

using nlohmann::json;

constexpr int64_t kReceivedAt = 1714550402740;  // 2024-05-01T08:00:02.740Z
const std::regex kUuidV4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

EventContext single(std::string_view type) { return EventContext{type, kReceivedAt, "203.0.113.7", nullptr}; }

json normalized(const std::string &text, const EventContext &context) {
    const NormalizeOutcome outcome = normalize_event_text(text, context);
    EXPECT_EQ(outcome.error, "");
    return json::parse(outcome.event.payload);
}

std::string refusal(const std::string &text, const EventContext &context) {
    return normalize_event_text(text, context).error;
}

TEST(Normalize, FillsMessageIdReceivedAtTypeAndRequestIp) {
    const json event = normalized(R"({"userId":"u1","event":"Order Completed","properties":{"total":9.5}})",
                                  single("track"));
    EXPECT_TRUE(std::regex_match(event["messageId"].get<std::string>(), kUuidV4)) << event["messageId"];
    EXPECT_EQ(event["receivedAt"], "2024-05-01T08:00:02.740Z");
    EXPECT_EQ(event["timestamp"], "2024-05-01T08:00:02.740Z");  // nothing given: receivedAt
    EXPECT_EQ(event["type"], "track");
    EXPECT_EQ(event["request_ip"], "203.0.113.7");
    EXPECT_EQ(event["event"], "Order Completed");
    EXPECT_EQ(event["properties"], json::parse(R"({"total":9.5})"));
}

TEST(Normalize, FreshMessageIdsDiffer) {
    const std::string text = R"({"anonymousId":"a1"})";
    EXPECT_NE(normalized(text, single("page"))["messageId"], normalized(text, single("page"))["messageId"]);
}

TEST(Normalize, KeepsAGivenMessageIdAndRequestIp) {
    const json event = normalized(R"({"userId":"u1","messageId":"m-1","request_ip":"198.51.100.1"})", single("identify"));
    EXPECT_EQ(event["messageId"], "m-1");
    EXPECT_EQ(event["request_ip"], "198.51.100.1");
}

TEST(Normalize, ReplacesBlankOrNonStringMessageIds) {
    for (const char *id : {R"("  ")", "17", "null"}) {
        const json event = normalized(std::string(R"({"userId":"u1","messageId":)") + id + "}", single("track"));
        EXPECT_TRUE(std::regex_match(event["messageId"].get<std::string>(), kUuidV4)) << id;
    }
}

TEST(Normalize, ReceivedAtIsAlwaysTheHostsAndTypeThePaths) {
    const json event =
        normalized(R"({"userId":"u1","type":"identify","receivedAt":"2000-01-01T00:00:00.000Z"})", single("track"));
    EXPECT_EQ(event["receivedAt"], "2024-05-01T08:00:02.740Z");
    EXPECT_EQ(event["type"], "track");
}

// The device clock is 7.26 s behind: it stamped 08:00:00.000 and sent at 08:00:05.000 (its
// time); the host received at 08:00:02.740, so the event happened 5 s before that.
TEST(Normalize, CorrectsClockSkewFromSentAtAndOriginalTimestamp) {
    const json event = normalized(
        R"({"anonymousId":"a1","originalTimestamp":"2024-05-01T08:00:00.000Z","sentAt":"2024-05-01T08:00:05.000Z"})",
        single("track"));
    EXPECT_EQ(event["timestamp"], "2024-05-01T07:59:57.740Z");
    EXPECT_EQ(event["originalTimestamp"], "2024-05-01T08:00:00.000Z");  // kept as the client sent it
    EXPECT_EQ(event["sentAt"], "2024-05-01T08:00:05.000Z");
}

TEST(Normalize, CorrectsSkewAcrossZonesAndAheadClocks) {
    // A clock 1 h 0.5 s ahead, writing local time at +02:00.
    const json event = normalized(
        R"({"userId":"u1","originalTimestamp":"2024-05-01T11:00:01.000+02:00","sentAt":"2024-05-01T11:00:03.240+02:00"})",
        single("screen"));
    EXPECT_EQ(event["timestamp"], "2024-05-01T08:00:00.500Z");
}

TEST(Normalize, SegmentTimestampWithSentAtIsCorrectedAndKeptAsOriginal) {
    const json event = normalized(
        R"({"userId":"u1","timestamp":"2024-05-01T08:00:00.000Z","sentAt":"2024-05-01T08:00:05.000Z"})",
        single("track"));
    EXPECT_EQ(event["timestamp"], "2024-05-01T07:59:57.740Z");
    EXPECT_EQ(event["originalTimestamp"], "2024-05-01T08:00:00.000Z");
}

TEST(Normalize, AGivenTimestampWithoutSentAtIsKept) {
    const json event = normalized(R"({"userId":"u1","timestamp":"2019-03-04T05:06:07.089+01:00"})", single("track"));
    EXPECT_EQ(event["timestamp"], "2019-03-04T04:06:07.089Z");
    EXPECT_FALSE(event.contains("originalTimestamp"));
}

TEST(Normalize, ExplicitTimestampWinsOverOriginalTimestamp) {
    const json event = normalized(R"({"userId":"u1","timestamp":"2019-03-04T04:06:07.089Z",
        "originalTimestamp":"2024-05-01T08:00:00.000Z","sentAt":"2024-05-01T08:00:05.000Z"})",
                                  single("track"));
    EXPECT_EQ(event["timestamp"], "2019-03-04T04:06:07.089Z");
}

TEST(Normalize, OriginalTimestampAloneIsTrusted) {
    const json event = normalized(R"({"userId":"u1","originalTimestamp":"2024-05-01T07:00:00.000Z"})", single("track"));
    EXPECT_EQ(event["timestamp"], "2024-05-01T07:00:00.000Z");
}

TEST(Normalize, UnparseableTimesFallBackToReceivedAt) {
    const json event = normalized(R"({"userId":"u1","timestamp":"yesterday","originalTimestamp":12,"sentAt":"soon"})",
                                  single("track"));
    EXPECT_EQ(event["timestamp"], "2024-05-01T08:00:02.740Z");
    EXPECT_EQ(event["sentAt"], "soon");  // other members pass through untouched
}

TEST(Normalize, UserKeyIsUserIdElseAnonymousIdWithNumbersAsText) {
    EXPECT_EQ(normalize_event_text(R"({"userId":"u1","anonymousId":"a1"})", single("track")).event.user_key, "u1");
    EXPECT_EQ(normalize_event_text(R"({"userId":"","anonymousId":"a1"})", single("track")).event.user_key, "a1");
    EXPECT_EQ(normalize_event_text(R"({"userId":null,"anonymousId":"a1"})", single("track")).event.user_key, "a1");
    EXPECT_EQ(normalize_event_text(R"({"userId":12345})", single("track")).event.user_key, "12345");
    EXPECT_EQ(normalize_event_text(R"({"anonymousId":1.5})", single("track")).event.user_key, "1.5");
    const json event = normalized(R"({"userId":12345})", single("track"));
    EXPECT_EQ(event["userId"], 12345);  // the payload keeps the client's type
}

TEST(Normalize, RefusesEventsWithoutIdentity) {
    const std::string expected = "it has neither a \"userId\" nor an \"anonymousId\"";
    EXPECT_EQ(refusal(R"({"event":"x"})", single("track")), expected);
    EXPECT_EQ(refusal(R"({"userId":"","anonymousId":"  "})", single("track")), expected);
    EXPECT_EQ(refusal(R"({"userId":null})", single("alias")), expected);
    EXPECT_EQ(refusal(R"({"userId":{"id":1}})", single("track")), "\"userId\" must be a string or a number");
    EXPECT_EQ(refusal(R"(["userId"])", single("track")), "it is not a JSON object");
}

TEST(Normalize, BatchItemsNameTheirOwnKnownType) {
    const EventContext batch_item{"", kReceivedAt, "203.0.113.7", nullptr};
    EXPECT_EQ(normalized(R"({"type":"group","userId":"u1","groupId":"g"})", batch_item)["type"], "group");
    EXPECT_EQ(refusal(R"({"userId":"u1"})", batch_item), "\"type\" is missing or not a string");
    EXPECT_EQ(refusal(R"({"type":"Track","userId":"u1"})", batch_item),
              "\"type\" must be identify, track, page, screen, group or alias, not \"Track\"");
}

TEST(Normalize, DropsTheWriteKey) {
    const json event = normalized(R"({"userId":"u1","writeKey":"key-ios"})", single("track"));
    EXPECT_FALSE(event.contains("writeKey"));
}

TEST(Normalize, KeepsStringsNumbersAndNestingExact) {
    const std::string text =
        R"({"userId":"u\"1\u00e9\n","properties":{"big":18446744073709551615,"neg":-9223372036854775808,)"
        R"("pi":3.141592653589793,"tiny":1e-300,"list":[true,false,null,[],{}],"ctl":"\u0001"}})";
    const json event = normalized(text, single("track"));
    EXPECT_EQ(event["userId"], "u\"1\u00e9\n");
    EXPECT_EQ(event["properties"], json::parse(text)["properties"]);
}

TEST(Normalize, BatchDefaultsApplyToItemsThatLackThem) {
    simdjson::dom::parser parser;
    const simdjson::dom::element top = parser.parse(std::string_view(
        R"({"sentAt":"2024-05-01T08:00:05.000Z","context":{"library":{"name":"n"},"ip":"1.2.3.4"},"integrations":{"All":true}})"));
    const BatchDefaults defaults{top["sentAt"].value(), top["context"].get_object().value(),
                                 top["integrations"].get_object().value()};
    const EventContext context{"", kReceivedAt, "203.0.113.7", &defaults};
    const json event = normalized(
        R"({"type":"track","userId":"u1","originalTimestamp":"2024-05-01T08:00:00.000Z","context":{"ip":"9.9.9.9"}})",
        context);
    EXPECT_EQ(event["sentAt"], "2024-05-01T08:00:05.000Z");
    EXPECT_EQ(event["timestamp"], "2024-05-01T07:59:57.740Z");
    EXPECT_EQ(event["context"], json::parse(R"({"ip":"9.9.9.9","library":{"name":"n"}})"));
    EXPECT_EQ(event["integrations"], json::parse(R"({"All":true})"));

    const json own_sent_at = normalized(
        R"({"type":"track","userId":"u1","sentAt":"2024-05-01T08:00:01.000Z","originalTimestamp":"2024-05-01T08:00:00.000Z"})",
        context);
    EXPECT_EQ(own_sent_at["timestamp"], "2024-05-01T08:00:01.740Z");
    EXPECT_EQ(own_sent_at["context"], json::parse(R"({"ip":"1.2.3.4","library":{"name":"n"}})"));
}

}  // namespace
}  // namespace switchyard::ingest
