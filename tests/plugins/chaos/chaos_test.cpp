// The chaos test plugin on its ordinary path, loaded and called as the host does (load_plugin,
// Destination): events it is not told to misbehave on become POSTs of their JSON to `url`, graded
// like a webhook's. Its faults kill or stall the process, so only tests running a host set them off.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"
#include "tests/support/cli_run.h"
#include "tests/webhook/receiver.h"

namespace switchyard {
namespace {

using webhook::testing::Answer;
using webhook::testing::Receiver;

// Every fault armed, on names the events below never carry.
nlohmann::json settings_for(const std::string &url) {
    return {{"url", url},           {"crashOn", "Crash"}, {"abortOn", "Abort"},
            {"sendCrashOn", "Send Crash"}, {"hangOn", "Hang"},   {"leakOn", "Leak"}};
}

std::shared_ptr<const PluginLibrary> chaos_plugin() {
    LoadOutcome loaded = load_plugin(CHAOS_PLUGIN_PATH);
    EXPECT_TRUE(loaded.plugin) << loaded.refusal;
    return loaded.plugin;
}

std::shared_ptr<Destination> chaos_destination(const nlohmann::json &settings) {
    std::string error;
    auto destination = Destination::create(chaos_plugin(), "test/chaos", settings.dump(), error);
    EXPECT_TRUE(destination) << error;
    return destination;
}

std::vector<sy_borrowed_str> views_of(const std::vector<std::string> &texts) {
    std::vector<sy_borrowed_str> views;
    for (const std::string &text : texts) views.push_back({text.data(), text.size()});
    return views;
}

std::string text_of(sy_owned_str s) { return {s.ptr, s.len}; }

TEST(Chaos, DeclaresEveryMessageTypeAndRequiresUrl) {
    const auto plugin = chaos_plugin();
    ASSERT_TRUE(plugin);
    EXPECT_EQ(plugin->name(), "chaos");
    EXPECT_FALSE(plugin->message_types().takes_all());
    for (const char *type : {"track", "identify", "page", "screen", "group", "alias"})
        EXPECT_TRUE(plugin->message_types().takes(type)) << type;
    std::string error;
    EXPECT_FALSE(Destination::create(plugin, "test/chaos", R"({"crashOn":"Crash"})", error));
    EXPECT_NE(error.find("url"), std::string::npos) << error;
}

TEST(Chaos, AnEventItIsNotToldToMisbehaveOnBecomesOnePostOfItsJson) {
    const auto destination = chaos_destination(settings_for("http://127.0.0.1:9/hook"));
    ASSERT_TRUE(destination);
    const std::vector<std::string> events = {R"({"type":"track","event":"Order Completed","userId":"u1"})",
                                             R"({"type":"identify","userId":"u2"})"};
    const auto views = views_of(events);
    const TransformResult result = destination->transform(views, 1);
    ASSERT_TRUE(result) << result.problem();
    ASSERT_EQ(result->requests.size(), 2u);
    EXPECT_TRUE(result->errors.empty());
    for (size_t i = 0; i < events.size(); ++i) {
        const RequestRead &request = result->requests[i];
        EXPECT_EQ(text_of(request.fields.kind), "chaos");
        EXPECT_EQ(text_of(request.fields.method), "POST");
        EXPECT_EQ(text_of(request.fields.url), "http://127.0.0.1:9/hook");
        EXPECT_EQ(text_of(request.fields.body), events[i]);
        EXPECT_EQ(std::vector<uint32_t>(request.event_indexes.begin(), request.event_indexes.end()),
                  std::vector<uint32_t>{static_cast<uint32_t>(i)});
    }
}

TEST(Chaos, SeveralEventsPerRequestMakeAJsonArrayAndANonObjectIsAborted) {
    const auto destination = chaos_destination(settings_for("http://127.0.0.1:9/hook"));
    ASSERT_TRUE(destination);
    const std::vector<std::string> events = {R"({"type":"page","name":"Home"})", "[1]", R"({"type":"group","groupId":"g"})"};
    const auto views = views_of(events);
    const TransformResult result = destination->transform(views, 10);
    ASSERT_TRUE(result) << result.problem();
    ASSERT_EQ(result->requests.size(), 1u);
    EXPECT_EQ(text_of(result->requests[0].fields.body), "[" + events[0] + "," + events[2] + "]");
    ASSERT_EQ(result->errors.size(), 1u);
    EXPECT_EQ(result->errors[0].event_index, 1u);
    EXPECT_EQ(result->errors[0].outcome, SY_ABORT);
}

struct Grading {
    int status;
    sy_outcome outcome;
};

TEST(Chaos, SendPostsTheBodyAndGradesTheAnswerLikeAWebhook) {
    Receiver receiver;
    const auto destination = chaos_destination(settings_for(receiver.url()));
    ASSERT_TRUE(destination);
    const std::string event = R"({"type":"track","event":"Signed Up","userId":"u1"})";
    const std::vector<std::string> events = {event};
    const auto views = views_of(events);
    const TransformResult transformed = destination->transform(views, 1);
    ASSERT_TRUE(transformed && transformed->requests.size() == 1) << transformed.problem();
    for (const Grading grading : {Grading{200, SY_OK}, Grading{429, SY_THROTTLED}, Grading{503, SY_RETRY},
                                  Grading{404, SY_ABORT}}) {
        receiver.answer_with(Answer{grading.status, "", {}});
        const SendResult sent = destination->send(*transformed->requests[0].as_made);
        ASSERT_TRUE(sent) << sent.problem();
        EXPECT_EQ(sent->fields.outcome, grading.outcome) << grading.status;
        EXPECT_EQ(sent->fields.http_status, static_cast<uint32_t>(grading.status));
    }
    const auto received = receiver.received();
    ASSERT_EQ(received.size(), 4u);
    EXPECT_EQ(received[0].method, "POST");
    EXPECT_EQ(received[0].path, "/hook");
    EXPECT_EQ(received[0].body, event);
    EXPECT_EQ(received[0].header("Content-Type"), "application/json");
}

TEST(Chaos, PassesThePluginCheck) {
    const std::string settings = std::string(::testing::TempDir()) + "chaos_settings.json";
    std::ofstream(settings) << settings_for("http://127.0.0.1:9/hook").dump();
    const auto run = testing::run_command(std::string(SWITCHYARD_BIN) + " plugin-check " CHAOS_PLUGIN_PATH
                                          " --settings " + settings);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(run.output.find("FAIL"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace switchyard
