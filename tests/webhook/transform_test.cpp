// transform through webhook.so: bodies byte for byte (one event, arrays of N), the host's
// per-request cap, the 4 MiB body cap, headers, request kind, and per-event errors.
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/webhook/webhook_plugin.h"

namespace webhook::testing {
namespace {

using nlohmann::json;

constexpr const char *kUrl = "https://hooks.example.com/in";

// Spacing, escapes and number spellings a re-serialisation would change.
const std::vector<std::string> kEvents = {
    R"({"type":"track", "event":"A",  "properties":{"price":1.50,"big":12345678901234567890}})",
    R"({"type":"identify","userId":"u\u00e9","traits":{}})",
    R"( {"type":"page","name":"x\/y"} )",
    R"({"type":"group","groupId":"g1","traits":{"n":1e3}})",
    R"({"type":"alias","previousId":"a","userId":"b"})",
    R"({"type":"screen","name":"Home"})",
    R"({"type":"track","event":"Z"})",
};

std::unique_ptr<Destination> destination(WebhookPlugin &plugin, json settings) {
    settings["url"] = kUrl;
    auto out = std::make_unique<Destination>(plugin, settings.dump());
    if (!out->ok()) throw std::runtime_error(out->error());
    return out;
}

std::string joined(size_t from, size_t to) {
    std::string body = "[";
    for (size_t i = from; i < to; ++i) body += (i > from ? "," : "") + kEvents[i];
    return body + "]";
}

TEST(WebhookTransform, BatchSizeOneSendsEachEventsBytesUnchanged) {
    WebhookPlugin plugin;
    const Transformed out = destination(plugin, json::object())->transform(kEvents);
    ASSERT_EQ(out.requests.size(), kEvents.size());
    EXPECT_TRUE(out.errors.empty());
    for (uint32_t i = 0; i < kEvents.size(); ++i) {
        EXPECT_EQ(out.requests[i].body, kEvents[i]);
        EXPECT_EQ(out.requests[i].event_indexes, std::vector<uint32_t>{i});
        EXPECT_EQ(out.requests[i].kind, "webhook");
    }
}

TEST(WebhookTransform, BatchSizeNSendsArraysOfTheEventTexts) {
    WebhookPlugin plugin;
    const Transformed out = destination(plugin, {{"batchSize", 3}})->transform(kEvents);
    ASSERT_EQ(out.requests.size(), 3u);
    EXPECT_EQ(out.requests[0].body, joined(0, 3));
    EXPECT_EQ(out.requests[1].body, joined(3, 6));
    EXPECT_EQ(out.requests[2].body, joined(6, 7));  // still an array: the shape follows batchSize
    EXPECT_EQ(out.requests[0].event_indexes, (std::vector<uint32_t>{0, 1, 2}));
    EXPECT_EQ(out.requests[2].event_indexes, (std::vector<uint32_t>{6}));
    for (const Request &request : out.requests) {
        EXPECT_EQ(request.kind, "webhook");
        EXPECT_TRUE(json::parse(request.body).is_array());
    }
}

TEST(WebhookTransform, TheHostsCapOnEventsPerRequestWins) {
    WebhookPlugin plugin;
    auto hook = destination(plugin, {{"batchSize", 100}});
    const Transformed four = hook->transform(kEvents, 4);
    ASSERT_EQ(four.requests.size(), 2u);
    EXPECT_EQ(four.requests[0].body, joined(0, 4));
    EXPECT_EQ(four.requests[1].body, joined(4, 7));
    for (const uint32_t one : {1u, 0u}) {  // 0 reads as 1: one event per request, as an object
        const Transformed single = hook->transform(kEvents, one);
        ASSERT_EQ(single.requests.size(), kEvents.size());
        EXPECT_EQ(single.requests[2].body, kEvents[2]);
    }
}

TEST(WebhookTransform, MethodUrlAndHeadersInOrder) {
    WebhookPlugin plugin;
    const Transformed out =
        destination(plugin, {{"method", "PUT"}, {"headers", {{"Authorization", "Bearer t0k3n"}, {"X-Source", "sy"}}}})
            ->transform({kEvents[0]});
    ASSERT_EQ(out.requests.size(), 1u);
    const Request &request = out.requests[0];
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(request.url, kUrl);
    using Headers = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(request.headers, (Headers{{"Content-Type", "application/json"},
                                        {"Authorization", "Bearer t0k3n"},
                                        {"X-Source", "sy"}}));
}

TEST(WebhookTransform, AnEventThatIsNotAJsonObjectIsAbortedAlone) {
    WebhookPlugin plugin;
    const std::vector<std::string> events = {kEvents[0], "[1,2]", "not json", kEvents[1], R"("text")", kEvents[2]};
    const Transformed out = destination(plugin, {{"batchSize", 10}})->transform(events);
    ASSERT_EQ(out.requests.size(), 1u);
    EXPECT_EQ(out.requests[0].body, "[" + kEvents[0] + "," + kEvents[1] + "," + kEvents[2] + "]");
    EXPECT_EQ(out.requests[0].event_indexes, (std::vector<uint32_t>{0, 3, 5}));
    ASSERT_EQ(out.errors.size(), 3u);
    std::set<uint32_t> failed;
    for (const EventError &error : out.errors) {
        failed.insert(error.event_index);
        EXPECT_EQ(error.outcome, SY_ABORT);
        EXPECT_EQ(error.status, 400u);
    }
    EXPECT_EQ(failed, (std::set<uint32_t>{1, 2, 4}));
    EXPECT_EQ(out.errors[0].message, "Event is not a JSON object; a webhook request carries only JSON objects.");
    EXPECT_EQ(out.errors[1].message, "Event is not valid JSON.");
}

// 1 MiB events: four and a bit do not fit in one 4 MiB body.
TEST(WebhookTransform, ABatchIsCutBeforeItsBodyWouldPassFourMiB) {
    WebhookPlugin plugin;
    const std::string padding(1024 * 1024 - 32, 'x');
    std::vector<std::string> events;
    for (int i = 0; i < 6; ++i) events.push_back(R"({"type":"track","p":")" + padding + R"("})");
    events.push_back(R"({"type":"track","p":")" + std::string(4 * 1024 * 1024, 'y') + R"("})");
    const Transformed out = destination(plugin, {{"batchSize", 1000}})->transform(events);
    ASSERT_EQ(out.requests.size(), 2u);
    EXPECT_EQ(out.requests[0].event_indexes, (std::vector<uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(out.requests[1].event_indexes, (std::vector<uint32_t>{4, 5}));
    for (const Request &request : out.requests) EXPECT_LE(request.body.size(), 4u * 1024 * 1024);
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].event_index, 6u);
    EXPECT_EQ(out.errors[0].outcome, SY_ABORT);
    EXPECT_EQ(out.errors[0].status, 413u);
    EXPECT_EQ(out.errors[0].message, "Event is larger than the 4194304-byte limit of a webhook request body.");
}

}  // namespace
}  // namespace webhook::testing
