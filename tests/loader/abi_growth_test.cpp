// A plugin built with larger (later-minor) structs than the host's is read by its own sizes, and
// the host services reach /metrics and the logged error.
#include <gtest/gtest.h>

#include "host/metrics/metrics.h"
#include "host/plugin/destination.h"
#include "host/plugin/host_services.h"

namespace switchyard {
namespace {

const std::filesystem::path kGrown = std::filesystem::path(FIXTURE_DIR) / "grown.so";

std::vector<uint32_t> indexes(const RequestRead &request) {
    return {request.event_indexes.begin(), request.event_indexes.end()};
}

std::string_view text(sy_str_view v) { return {v.ptr != nullptr ? v.ptr : "", v.len}; }

std::shared_ptr<Destination> grown(Metrics *metrics = nullptr) {
    LoadOutcome loaded = load_plugin(kGrown);
    EXPECT_NE(loaded.plugin, nullptr) << loaded.refusal;
    std::string error;
    auto destination = Destination::create(loaded.plugin, "d1", "{}", error, metrics);
    EXPECT_NE(destination, nullptr) << error;
    return destination;
}

TransformResult transform(const Destination &destination, const std::vector<std::string> &events) {
    std::vector<sy_borrowed_str> views;
    for (const std::string &e : events) views.push_back({e.data(), e.size()});
    return destination.transform(views, destination.plugin().max_events_per_request());
}

TEST(AbiGrowth, ArraysOfLargerElementsAreReadByTheirOwnSize) {
    const auto destination = grown();
    const TransformResult result =
        transform(*destination, {R"({"type":"track","n":1})", R"({"type":"track","bad":1})",
                                 R"({"type":"group"})", R"({"type":"identify","n":3})", R"({"type":"track","n":4})",
                                 R"({"type":"track","later":1})"});
    ASSERT_TRUE(result) << result.problem();
    ASSERT_EQ(result->requests.size(), 2u);
    EXPECT_EQ(indexes(result->requests[0]), (std::vector<uint32_t>{0, 3}));
    EXPECT_EQ(indexes(result->requests[1]), (std::vector<uint32_t>{4}));  // max_events_per_request 2
    for (const RequestRead &request : result->requests) {
        EXPECT_EQ(text(request.fields.kind), "grown/batch");
        EXPECT_EQ(text(request.fields.rate_key), "second");
        ASSERT_EQ(request.headers.size(), 2u);
        EXPECT_EQ(text(request.headers[1].name), "X-Second");
        EXPECT_EQ(text(request.headers[1].value), "second");
    }
    ASSERT_EQ(result->errors.size(), 3u);  // the host's skip first, then the plugin's, mapped back
    EXPECT_EQ(result->errors[0].event_index, 2u);
    EXPECT_EQ(result->errors[0].outcome, SY_SKIPPED);
    EXPECT_TRUE(result->errors[0].skipped_by_host);
    EXPECT_EQ(result->errors[0].message, "message type \"group\" is not supported by this destination");
    EXPECT_EQ(result->errors[1].event_index, 1u);
    EXPECT_EQ(result->errors[1].outcome, SY_ABORT);
    EXPECT_EQ(result->errors[1].message, "bad event");
    EXPECT_EQ(result->errors[2].event_index, 5u);
    EXPECT_EQ(result->errors[2].outcome, SY_RETRY);
    EXPECT_EQ(result->errors[2].message, "lookup busy");

    const SendResult sent = destination->send(*result->requests[0].as_made);
    ASSERT_TRUE(sent) << sent.problem();
    ASSERT_EQ(sent->events.size(), 2u);
    EXPECT_EQ(sent->events[0].outcome, SY_OK);
    EXPECT_EQ(sent->events[1].outcome, SY_ABORT);
    EXPECT_EQ(sent->events[1].status, 422u);
    EXPECT_EQ(text(sent->events[1].message), "second refused");

    const std::vector<sy_rate_limit> limits = destination->rate_limits();
    ASSERT_EQ(limits.size(), 2u);
    EXPECT_EQ(text(limits[1].rate_key), "second");
    EXPECT_EQ(limits[1].requests_per_second, 2.0);
}

TEST(AbiGrowth, AnElementBelowTheMinimumSizeMakesTheResultUnusable) {
    const auto destination = grown();
    const TransformResult result = transform(*destination, {R"({"type":"track","shrink":1})"});
    EXPECT_FALSE(result);
    EXPECT_EQ(result.problem(), "transform returned an invalid result: requests: element 0: sy_request has struct_size "
                                "8, below the " + std::to_string(offsetof(sy_request, rate_key) + sizeof(sy_str_view)) +
                                    " bytes of its ABI 2.0 fields");
}

TEST(AbiGrowth, WhenEveryEventIsSkippedThePluginIsNotCalled) {
    const auto destination = grown();
    const TransformResult result = transform(*destination, {R"({"type":"group","fail":1})"});
    ASSERT_TRUE(result) << result.problem();  // "fail" would have made the plugin return NULL
    EXPECT_TRUE(result->requests.empty());
    ASSERT_EQ(result->errors.size(), 1u);
    EXPECT_EQ(result->errors[0].outcome, SY_SKIPPED);
    EXPECT_FALSE(result.holds_plugin_result());
}

TEST(HostServices, FailGivesTheReasonOfANullResult) {
    const auto destination = grown();
    const TransformResult result = transform(*destination, {R"({"type":"track","fail":1})"});
    EXPECT_FALSE(result);
    EXPECT_EQ(result.problem(), "transform returned no result: out of lookup slots");
    // The reason belongs to that call only.
    const TransformResult next = transform(*destination, {R"({"type":"track"})"});
    EXPECT_TRUE(next) << next.problem();
}

TEST(HostServices, CountsAndGaugesAppearUnderThePluginsNameAndBadNamesAreDropped) {
    Metrics metrics;
    const auto destination = grown(&metrics);
    ASSERT_TRUE(transform(*destination, {R"({"type":"track"})", R"({"type":"track"})"}));
    ASSERT_TRUE(transform(*destination, {R"({"type":"track"})"}));
    const std::string rendered = metrics.render();
    EXPECT_NE(rendered.find("switchyard_plugin_grown_transformed_events_total{destination=\"d1\"} 3\n"), std::string::npos)
        << rendered;
    EXPECT_NE(rendered.find("switchyard_plugin_grown_last_batch_size{destination=\"d1\"} 1\n"), std::string::npos) << rendered;
    EXPECT_NE(rendered.find("# TYPE switchyard_plugin_grown_transformed_events_total counter"), std::string::npos) << rendered;
    EXPECT_EQ(rendered.find("Bad"), std::string::npos) << rendered;
}

// A plugin that builds metric names from data cannot grow /metrics without bound.
TEST(HostServices, APluginGetsAtMost64MetricNames) {
    Metrics metrics;
    HostServices services("grown", "d1", &metrics);
    const sy_host_api *api = services.api();
    for (int i = 0; i < 70; ++i) {
        const std::string name = "user_" + std::to_string(i);
        api->count(api->host_ctx, {name.data(), name.size()}, 1);
    }
    const std::string rendered = metrics.render();
    EXPECT_NE(rendered.find("switchyard_plugin_grown_user_63_total{destination=\"d1\"} 1\n"), std::string::npos) << rendered;
    EXPECT_EQ(rendered.find("switchyard_plugin_grown_user_64_total"), std::string::npos) << rendered;
    api->count(api->host_ctx, {"user_0", 6}, 1);  // a name in use still counts
    EXPECT_NE(metrics.render().find("switchyard_plugin_grown_user_0_total{destination=\"d1\"} 2\n"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
