// Per-source settings through `serve` and the mock Iterable: two sources share one destination,
// each with its own override (a filter, a plugin setting); a reload rebuilds only the connection
// whose override changed; `check` names the override's line.
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/cli_run.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr const char *kWebWriteKey = "web-write-key-5c1d";

// `app` blacklists "Internal Ping"; `web` lets it through, and has Iterable ids from messageIds.
// Each overrides a plugin setting, so each connection has its own instance. `web_extra` is more
// of web's override, indented YAML.
std::string two_sources(const std::string &mock_url, const std::string &web_extra = "") {
    return "workspace: e2e\nsources:\n"
           "  - id: app\n    write_key: " + std::string(kWriteKey) + "\n    destinations:\n"
           "      - id: iterable\n        settings:\n          eventFilteringOption: blacklistedEvents\n"
           "          blacklistedEvents:\n            - eventName: Internal Ping\n          eventIdFromMessageId: false\n"
           "  - id: web\n    write_key: " + std::string(kWebWriteKey) + "\n    destinations:\n"
           "      - id: iterable\n        settings:\n          eventIdFromMessageId: true\n" + web_extra +
           "destinations:\n" + iterable_destination("iterable", mock_url);
}

json with_message_id(json event, const std::string &id) {
    event["messageId"] = id;
    return event;
}

// The Iterable id of each recorded event, by its seq ("" when it has none).
std::map<int, std::string> ids_by_seq(const MockIterable &mock) {
    std::map<int, std::string> ids;
    const json state = mock.state();
    for (const json &event : state["events"]) ids[event["dataFields"]["seq"].get<int>()] = event.value("id", "");
    return ids;
}

class PerSource : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }
    void write_config(const std::string &yaml) { std::ofstream(root_ / "config" / "e2e.yaml") << yaml; }
    MockIterable mock_{MockOptions{}};
};

TEST_F(PerSource, TwoSourcesShareADestinationEachWithItsOwnFilterAndPluginSettings) {
    start_host(two_sources(mock_.base_url()));
    ASSERT_EQ(post("track", with_message_id(track("u1", 1, "Internal Ping"), "a-1")), 200);  // app: filtered
    ASSERT_EQ(post("track", with_message_id(track("u1", 2), "a-2")), 200);
    ASSERT_EQ(post("track", with_message_id(track("u1", 3, "Internal Ping"), "w-3"), kWebWriteKey), 200);
    ASSERT_EQ(post("track", with_message_id(track("u1", 4), "a-4")), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 3; })) << host_->log();
    EXPECT_EQ(recorded_seqs(mock_), (std::vector<int>{2, 3, 4}));  // one user, in order across both sources
    // web's instance sets the id; app's does not.
    EXPECT_EQ(ids_by_seq(mock_), (std::map<int, std::string>{{2, ""}, {3, "w-3"}, {4, ""}}));
    EXPECT_NE(get("/metrics").find(
                  "switchyard_events_filtered_total{destination=\"e2e/iterable\",reason=\"event_filter\"} 1\n"),
              std::string::npos)
        << get("/metrics");
}

TEST_F(PerSource, AReloadRebuildsOnlyTheConnectionWhoseOverrideChanged) {
    start_host(two_sources(mock_.base_url()));
    write_config(two_sources(mock_.base_url(), "          eventFilteringOption: blacklistedEvents\n"
                                               "          blacklistedEvents:\n            - eventName: Loaded\n"
                                               "          mapToSingleEvent: false\n"));
    const auto reloaded = host_->client()->Post("/admin/reload");
    ASSERT_TRUE(reloaded && reloaded->status == 200) << host_->log();
    ASSERT_TRUE(eventually([&] { return host_->log().find("connections with their own settings built") != std::string::npos; }))
        << host_->log();
    const std::string log = host_->log();
    EXPECT_NE(log.find("connections with their own settings built: e2e/iterable (source web);"), std::string::npos) << log;
    EXPECT_EQ(log.find("(source app)"), std::string::npos) << log;
    EXPECT_EQ(log.find("destinations recreated"), std::string::npos) << log;

    ASSERT_EQ(post("track", track("u2", 1), kWebWriteKey), 200);  // now blacklisted for web
    ASSERT_EQ(post("track", track("u2", 2)), 200);                  // app's filter is as it was
    ASSERT_EQ(post("track", track("u2", 3, "Internal Ping"), kWebWriteKey), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 2; })) << host_->log();
    EXPECT_EQ(recorded_seqs(mock_), (std::vector<int>{2, 3}));
}

TEST_F(PerSource, CheckNamesTheSourceAndTheLineOfAnOverridesBadSetting) {
    // Line 18 of the file: web's override `dataCenter: XX`.
    write_config(two_sources(mock_.base_url(), "          dataCenter: XX\n"));
    const CliRun run = run_command(std::string(SWITCHYARD_BIN) + " check --config-dir " + (root_ / "config").string() +
                                   " --plugin-dir " + PLUGIN_DIR);
    EXPECT_EQ(run.exit_code, 1) << run.output;
    EXPECT_NE(run.output.find("e2e.yaml:18: destination \"iterable\" (source \"web\"): settings.dataCenter: must be one "
                              "of \"USDC\", \"EUDC\""),
              std::string::npos)
        << run.output;
}

}  // namespace
}  // namespace switchyard::testing
