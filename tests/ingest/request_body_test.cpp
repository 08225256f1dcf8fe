// Request-level rules of the ingestion API on body text (no socket): body shape, all-or-nothing
// batches, count and size limits, batch defaults, the body's write key, the path's type.
#include "host/ingest/request_body.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace switchyard::ingest {
namespace {

using nlohmann::json;

constexpr int64_t kReceivedAt = 1714550402740;  // 2024-05-01T08:00:02.740Z
constexpr std::string_view kBatch = "";         // /v1/batch: items name their own type

// Parses and normalises `text` as the ingestion API does; the parse must succeed.
BodyOutcome outcome_of(std::string text, std::string_view path_type, const IngestLimits &limits = {}) {
    RequestBody body;
    EXPECT_TRUE(body.parse(text)) << body.error();
    return body.normalize(path_type, kReceivedAt, "203.0.113.7", limits);
}

std::vector<json> payloads(const BodyOutcome &outcome) {
    std::vector<json> out;
    for (const NormalizedEvent &event : outcome.events) out.push_back(json::parse(event.payload));
    return out;
}

// A batch body of `count` track events of users u0, u1, ...
std::string track_batch(size_t count) {
    std::string text = R"({"batch":[)";
    for (size_t i = 0; i < count; ++i)
        text += (i ? "," : "") + std::string(R"({"type":"track","event":"E","userId":"u)") + std::to_string(i) + "\"}";
    return text + "]}";
}

TEST(RequestBody, RefusesTextThatIsNotJsonWithASentence) {
    for (std::string text : {std::string(R"({"userId":"u1")"), std::string("userId=u1"), std::string("{'a':1}")}) {
        RequestBody body;
        EXPECT_FALSE(body.parse(text)) << text;
        EXPECT_EQ(body.error().rfind("The body is not valid JSON (", 0), 0u) << body.error();
        EXPECT_EQ(body.error().back(), '.') << body.error();
        EXPECT_FALSE(body.write_key().has_value());
    }
}

TEST(RequestBody, RefusesJsonThatIsNotAnObject) {
    for (std::string text : {std::string(R"([{"userId":"u1"}])"), std::string(R"("u1")"), std::string("42"),
                             std::string("null")}) {
        RequestBody body;
        EXPECT_FALSE(body.parse(text)) << text;
        EXPECT_EQ(body.error(), "The body must be a JSON object.") << text;
        EXPECT_FALSE(body.write_key().has_value());
    }
}

TEST(RequestBody, AnUnparsedBodyHasNoKeyAndNoEvents) {
    // Regression: write_key() and normalize() read a document that was never parsed (SIGSEGV).
    RequestBody never_parsed;
    EXPECT_FALSE(never_parsed.write_key().has_value());
    EXPECT_EQ(never_parsed.normalize("track", kReceivedAt, "203.0.113.7", {}).status, 400);

    RequestBody body;
    std::string bad = "[1";
    ASSERT_FALSE(body.parse(bad));
    const BodyOutcome outcome = body.normalize("track", kReceivedAt, "203.0.113.7", {});
    EXPECT_EQ(outcome.status, 400);
    EXPECT_EQ(outcome.error, body.error());
    EXPECT_TRUE(outcome.events.empty());

    // A failed parse after a good one forgets the good one.
    std::string good = R"({"writeKey":"wk","userId":"u1"})";
    ASSERT_TRUE(body.parse(good));
    EXPECT_EQ(body.write_key(), "wk");
    std::string not_object = "[]";
    ASSERT_FALSE(body.parse(not_object));
    EXPECT_FALSE(body.write_key().has_value());
    EXPECT_EQ(body.normalize("track", kReceivedAt, "203.0.113.7", {}).status, 400);
}

TEST(RequestBody, ParsesABodyWithoutSpareCapacityForPadding) {
    // simdjson reads up to SIMDJSON_PADDING bytes past the end; the body must be copied when
    // its buffer has no room (ASan catches an overread here).
    std::string text = R"({"userId":"u1","event":"E"})";
    text.shrink_to_fit();
    RequestBody body;
    ASSERT_TRUE(body.parse(text)) << body.error();
    const BodyOutcome outcome = body.normalize("track", kReceivedAt, "203.0.113.7", {});
    ASSERT_EQ(outcome.status, 200) << outcome.error;
    EXPECT_EQ(payloads(outcome).at(0)["event"], "E");
}

TEST(RequestBody, TheTypeOfThePathOverridesTheBodys) {
    const BodyOutcome outcome = outcome_of(R"({"type":"alias","userId":"u1","previousId":"p"})", "identify");
    ASSERT_EQ(outcome.status, 200) << outcome.error;
    ASSERT_EQ(outcome.events.size(), 1u);
    EXPECT_EQ(payloads(outcome)[0]["type"], "identify");
    EXPECT_EQ(outcome.events[0].user_key, "u1");
}

TEST(RequestBody, FindsTheWriteKeyInTheBodyAndDropsItFromEveryPayload) {
    std::string single = R"({"writeKey":"wk-secret-1","userId":"u1"})";
    RequestBody body;
    ASSERT_TRUE(body.parse(single));
    EXPECT_EQ(body.write_key(), "wk-secret-1");
    const BodyOutcome one = body.normalize("track", kReceivedAt, "203.0.113.7", {});
    ASSERT_EQ(one.status, 200) << one.error;
    EXPECT_EQ(one.events[0].payload.find("wk-secret-1"), std::string::npos) << one.events[0].payload;

    std::string batch = R"({"writeKey":"wk-secret-2","batch":[{"type":"track","userId":"u1","writeKey":"wk-item"},)"
                        R"({"type":"page","anonymousId":"a1"}]})";
    RequestBody batch_body;
    ASSERT_TRUE(batch_body.parse(batch));
    EXPECT_EQ(batch_body.write_key(), "wk-secret-2");
    const BodyOutcome many = batch_body.normalize(kBatch, kReceivedAt, "203.0.113.7", {});
    ASSERT_EQ(many.status, 200) << many.error;
    ASSERT_EQ(many.events.size(), 2u);
    for (const NormalizedEvent &event : many.events) {
        EXPECT_EQ(event.payload.find("writeKey"), std::string::npos) << event.payload;
        EXPECT_EQ(event.payload.find("wk-"), std::string::npos) << event.payload;
    }
}

TEST(RequestBody, AWriteKeyThatIsNotAStringIsNoKey) {
    for (std::string text : {std::string(R"({"userId":"u1"})"), std::string(R"({"userId":"u1","writeKey":7})"),
                             std::string(R"({"userId":"u1","writeKey":null})")}) {
        RequestBody body;
        ASSERT_TRUE(body.parse(text));
        EXPECT_FALSE(body.write_key().has_value()) << text;
    }
}

TEST(RequestBody, ABatchKeepsItsOrderAndEachItemsType) {
    const BodyOutcome outcome = outcome_of(
        R"({"batch":[{"type":"identify","userId":"u1","traits":{"plan":"pro"}},)"
        R"({"type":"track","anonymousId":"a2","event":"Signed Up"},{"type":"group","userId":"u3","groupId":"g"}]})",
        kBatch);
    ASSERT_EQ(outcome.status, 200) << outcome.error;
    const std::vector<json> events = payloads(outcome);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0]["type"], "identify");
    EXPECT_EQ(events[0]["traits"], json::parse(R"({"plan":"pro"})"));
    EXPECT_EQ(events[1]["type"], "track");
    EXPECT_EQ(events[1]["event"], "Signed Up");
    EXPECT_EQ(events[2]["type"], "group");
    EXPECT_EQ(outcome.events[0].user_key, "u1");
    EXPECT_EQ(outcome.events[1].user_key, "a2");
    EXPECT_EQ(outcome.events[2].user_key, "u3");
    for (const json &event : events) EXPECT_EQ(event["receivedAt"], "2024-05-01T08:00:02.740Z");
}

TEST(RequestBody, OneBadItemRefusesTheWholeBatch) {
    // Item 1 has no identity, item 2 an unknown type: the first refusal is the answer and
    // nothing of the batch is accepted, not even item 0.
    const BodyOutcome outcome = outcome_of(
        R"({"batch":[{"type":"track","userId":"u1"},{"type":"track","event":"E"},{"type":"Track","userId":"u3"}]})",
        kBatch);
    EXPECT_EQ(outcome.status, 400);
    EXPECT_TRUE(outcome.events.empty());
    EXPECT_EQ(outcome.error, "Batch item 1 was refused because it has neither a \"userId\" nor an \"anonymousId\".");

    const BodyOutcome last_bad = outcome_of(R"({"batch":[{"type":"track","userId":"u1"},"not an event"]})", kBatch);
    EXPECT_EQ(last_bad.status, 400);
    EXPECT_TRUE(last_bad.events.empty());
    EXPECT_EQ(last_bad.error, "Batch item 1 was refused because it is not a JSON object.");
}

TEST(RequestBody, ASingleEventWithoutIdentityIsRefused) {
    const BodyOutcome outcome = outcome_of(R"({"event":"E","properties":{}})", "track");
    EXPECT_EQ(outcome.status, 400);
    EXPECT_TRUE(outcome.events.empty());
    EXPECT_EQ(outcome.error, "The event was refused because it has neither a \"userId\" nor an \"anonymousId\".");
}

TEST(RequestBody, ABatchBodyNeedsANonEmptyBatchArray) {
    const BodyOutcome missing = outcome_of(R"({"type":"track","userId":"u1"})", kBatch);
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.error, "The body has no \"batch\" array.");
    const BodyOutcome not_array = outcome_of(R"({"batch":{"type":"track","userId":"u1"}})", kBatch);
    EXPECT_EQ(not_array.status, 400);
    EXPECT_EQ(not_array.error, "The body has no \"batch\" array.");
    const BodyOutcome empty = outcome_of(R"({"batch":[]})", kBatch);
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(empty.error, "The \"batch\" array is empty.");
    EXPECT_TRUE(empty.events.empty());
}

TEST(RequestBody, ABatchOverTheEventLimitIsTooLarge) {
    IngestLimits limits;
    limits.max_batch_events = 3;
    const BodyOutcome at_limit = outcome_of(track_batch(3), kBatch, limits);
    EXPECT_EQ(at_limit.status, 200) << at_limit.error;
    EXPECT_EQ(at_limit.events.size(), 3u);

    const BodyOutcome over = outcome_of(track_batch(4), kBatch, limits);
    EXPECT_EQ(over.status, 413);
    EXPECT_TRUE(over.events.empty());
    EXPECT_EQ(over.error, "The batch has 4 events, more than the limit of 3.");
}

TEST(RequestBody, AnEventOverTheSizeLimitIsTooLarge) {
    const std::string event =
        R"({"userId":"u1","messageId":"m-1","properties":{"pad":")" + std::string(300, 'x') + "\"}}";
    const BodyOutcome unlimited = outcome_of(event, "track");
    ASSERT_EQ(unlimited.status, 200) << unlimited.error;
    const size_t size = unlimited.events[0].payload.size();  // the normalised size is what counts

    IngestLimits limits;
    limits.max_event_bytes = size;
    EXPECT_EQ(outcome_of(event, "track", limits).status, 200);
    limits.max_event_bytes = size - 1;
    const BodyOutcome over = outcome_of(event, "track", limits);
    EXPECT_EQ(over.status, 413);
    EXPECT_TRUE(over.events.empty());
    EXPECT_EQ(over.error, "The event is " + std::to_string(size) + " bytes, more than the limit of " +
                              std::to_string(size - 1) + ".");

    // In a batch, one oversized item refuses the whole request.
    const std::string batch = R"({"batch":[{"type":"track","userId":"u0"},)" +
                              event.substr(0, event.size() - 1) + R"(,"type":"track"}]})";
    limits.max_event_bytes = 250;  // item 0 fits, item 1 (300 bytes of padding) does not
    const BodyOutcome batch_over = outcome_of(batch, kBatch, limits);
    EXPECT_EQ(batch_over.status, 413);
    EXPECT_TRUE(batch_over.events.empty());
    EXPECT_EQ(batch_over.error.rfind("Batch item 1 is ", 0), 0u) << batch_over.error;
}

// `levels` objects nested under "properties" as {"a":{"a":...{}}}: the event is level 1,
// properties level 2, so the innermost object is level levels + 2.
std::string nested_properties(size_t levels) {
    std::string inner = "{}";
    for (size_t i = 0; i < levels; ++i) inner = R"({"a":)" + inner + "}";
    return R"({"userId":"u1","properties":)" + inner + "}";
}

TEST(RequestBody, AnEventNestedDeeperThanTheLimitIsRefusedNamingWhere) {
    IngestLimits limits;
    limits.max_nesting_depth = 5;
    EXPECT_EQ(outcome_of(nested_properties(3), "track", limits).status, 200);  // innermost at level 5

    const BodyOutcome deep = outcome_of(nested_properties(4), "track", limits);
    EXPECT_EQ(deep.status, 400);
    EXPECT_TRUE(deep.events.empty());
    EXPECT_EQ(deep.error,
              "The event was refused because \"properties.a.a.a.a\" is nested more than 5 levels deep (objects and arrays).");

    const BodyOutcome arrays = outcome_of(R"({"userId":"u1","properties":{"list":[[[[1]]]]}})", "track", limits);
    EXPECT_EQ(arrays.status, 400);
    EXPECT_EQ(arrays.error, "The event was refused because \"properties.list[0][0][0]\" is nested more than 5 levels "
                            "deep (objects and arrays).");
}

TEST(RequestBody, TheDefaultNestingLimitRefusesWhatSimdjsonWouldStillParse) {
    const BodyOutcome deep = outcome_of(nested_properties(200), "track");
    EXPECT_EQ(deep.status, 400);
    EXPECT_NE(deep.error.find("is nested more than 32 levels deep"), std::string::npos) << deep.error;
}

TEST(RequestBody, ALongStringOrMemberNameIsRefusedNamingWhere) {
    IngestLimits limits;
    limits.max_string_bytes = 10;
    const auto event_with = [](std::string_view properties) {
        return R"({"userId":"u1","properties":)" + std::string(properties) + "}";
    };
    EXPECT_EQ(outcome_of(event_with(R"({"note":"0123456789"})"), "track", limits).status, 200);

    const BodyOutcome value = outcome_of(event_with(R"({"items":[{"name":"01234567890"}]})"), "track", limits);
    EXPECT_EQ(value.status, 400);
    EXPECT_EQ(value.error, "The event was refused because \"properties.items[0].name\" is a string of 11 bytes, "
                           "more than the limit of 10.");

    const BodyOutcome name = outcome_of(event_with(R"({"abcdefghijk":1})"), "track", limits);
    EXPECT_EQ(name.status, 400);
    EXPECT_EQ(name.error, "The event was refused because \"properties.abcdefghijk…\" is a member name of 11 bytes, "
                          "more than the limit of 10.");

    const BodyOutcome id = outcome_of(R"({"userId":"u-0123456789"})", "track", limits);
    EXPECT_EQ(id.status, 400);
    EXPECT_EQ(id.error, "The event was refused because \"userId\" is a string of 12 bytes, more than the limit of 10.");
}

TEST(RequestBody, ShapeLimitsHoldForEveryBatchItemAndTheMergedDefaults) {
    IngestLimits limits;
    limits.max_nesting_depth = 3;
    const BodyOutcome item = outcome_of(
        R"({"batch":[{"type":"track","userId":"u1"},{"type":"track","userId":"u2","properties":{"a":{"b":{}}}}]})",
        kBatch, limits);
    EXPECT_EQ(item.status, 400);
    EXPECT_TRUE(item.events.empty());
    EXPECT_EQ(item.error, "Batch item 1 was refused because \"properties.a.b\" is nested more than 3 levels deep "
                          "(objects and arrays).");

    // The batch's context lands one level down in every event: {"a":{}} would be level 3 there.
    EXPECT_EQ(outcome_of(R"({"context":{"a":1},"batch":[{"type":"track","userId":"u1"}]})", kBatch, limits).status, 200);
    const BodyOutcome defaults =
        outcome_of(R"({"context":{"a":{"b":{}}},"batch":[{"type":"track","userId":"u1"}]})", kBatch, limits);
    EXPECT_EQ(defaults.status, 400);
    EXPECT_EQ(defaults.error, "The batch's \"context\" was refused because \"a.b\" is nested more than 2 levels deep "
                              "(objects and arrays).");
}

TEST(RequestBody, BatchDefaultsMergeIntoItemsWhoseOwnKeysWin) {
    const BodyOutcome outcome = outcome_of(
        R"({"writeKey":"wk","sentAt":"2024-05-01T08:00:05.000Z",)"
        R"("context":{"library":{"name":"analytics-ios"},"locale":"en-GB"},"integrations":{"All":false,"Iterable":true},)"
        R"("batch":[)"
        R"({"type":"track","userId":"u1","originalTimestamp":"2024-05-01T08:00:00.000Z"},)"
        R"({"type":"track","userId":"u2","sentAt":"2024-05-01T08:00:01.000Z","originalTimestamp":"2024-05-01T08:00:00.000Z",)"
        R"("context":{"locale":"fr-FR","page":{"path":"/"}},"integrations":{"All":true}}]})",
        kBatch);
    ASSERT_EQ(outcome.status, 200) << outcome.error;
    const std::vector<json> events = payloads(outcome);
    ASSERT_EQ(events.size(), 2u);

    // Item 0 lacks them all: it takes the batch's.
    EXPECT_EQ(events[0]["sentAt"], "2024-05-01T08:00:05.000Z");
    EXPECT_EQ(events[0]["timestamp"], "2024-05-01T07:59:57.740Z");  // receivedAt - (sentAt - originalTimestamp)
    EXPECT_EQ(events[0]["context"], json::parse(R"({"library":{"name":"analytics-ios"},"locale":"en-GB"})"));
    EXPECT_EQ(events[0]["integrations"], json::parse(R"({"All":false,"Iterable":true})"));

    // Item 1's own keys win, key by key; what it lacks still comes from the batch.
    EXPECT_EQ(events[1]["sentAt"], "2024-05-01T08:00:01.000Z");
    EXPECT_EQ(events[1]["timestamp"], "2024-05-01T08:00:01.740Z");
    EXPECT_EQ(events[1]["context"],
              json::parse(R"({"locale":"fr-FR","page":{"path":"/"},"library":{"name":"analytics-ios"}})"));
    EXPECT_EQ(events[1]["integrations"], json::parse(R"({"All":true,"Iterable":true})"));

    // Other top-level members of the batch body belong to no event.
    for (const json &event : events) {
        EXPECT_FALSE(event.contains("writeKey"));
        EXPECT_FALSE(event.contains("batch"));
    }
}

TEST(RequestBody, BatchDefaultsThatAreNotObjectsAreIgnored) {
    const BodyOutcome outcome = outcome_of(
        R"({"context":"web","integrations":[1],"batch":[{"type":"page","anonymousId":"a1","context":{"ip":"1.2.3.4"}},)"
        R"({"type":"page","anonymousId":"a2"}]})",
        kBatch);
    ASSERT_EQ(outcome.status, 200) << outcome.error;
    const std::vector<json> events = payloads(outcome);
    EXPECT_EQ(events[0]["context"], json::parse(R"({"ip":"1.2.3.4"})"));
    EXPECT_FALSE(events[1].contains("context"));
    EXPECT_FALSE(events[1].contains("integrations"));
}

}  // namespace
}  // namespace switchyard::ingest
