// Operating the host: health, readiness and status endpoints, the metrics an operator alerts on,
// a graceful SIGTERM that loses nothing, start-up errors, and no secret in the logs.
#include <sys/wait.h>

#include <cstdlib>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

// The mock is a member so that it outlives the host (EndToEnd::TearDown stops it first).
class Operations : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    void start_host_delivering_to_mock() {
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())));
    }

    // The value of the sample `name{labels}` in /metrics, or -1 when absent.
    double metric(const std::string &sample) {
        const std::string text = get("/metrics");
        const size_t at = text.find("\n" + sample + " ");
        return at == std::string::npos ? -1 : std::stod(text.substr(at + sample.size() + 2));
    }

    MockIterable mock_{MockOptions{}};
};

const std::string kDestination = R"({destination="e2e/iterable"})";

TEST_F(Operations, HealthReadinessAndStatusAnswer) {
    start_host_delivering_to_mock();
    auto client = host_->client();
    auto health = client->Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    auto ready = client->Get("/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 200);

    auto status = client->Get("/admin/status");  // from loopback: allowed by default
    ASSERT_TRUE(status);
    ASSERT_EQ(status->status, 200);
    const json body = json::parse(status->body);
    EXPECT_EQ(body["config_generation"], 1);
    ASSERT_EQ(body["destinations"].size(), 1u);
    EXPECT_EQ(body["destinations"][0]["key"], "e2e/iterable");
    bool iterable_loaded = false;
    for (const json &plugin : body["plugins"]) iterable_loaded |= plugin["name"] == "iterable";
    EXPECT_TRUE(iterable_loaded) << body.dump(2);
}

TEST_F(Operations, MetricsCountEveryFateOfAnEvent) {
    start_host_delivering_to_mock();
    for (int seq = 0; seq < 10; ++seq) ASSERT_EQ(post("track", track("u1", seq)), 200);
    ASSERT_EQ(post("alias", {{"userId", "u1"}}), 200);  // no previousId: the plugin refuses it, a dead letter
    ASSERT_TRUE(eventually([&] { return metric("switchyard_events_delivered_total" + kDestination) == 10; }))
        << get("/metrics");

    // Iterable down: events wait, are retried, and the queue shows their depth and age.
    mock_.set_faults({.error_rate = 1.0});
    for (int seq = 10; seq < 13; ++seq) ASSERT_EQ(post("track", track("u2", seq)), 200);
    ASSERT_TRUE(eventually([&] { return metric("switchyard_events_retried_total" + kDestination) >= 3; }));
    EXPECT_EQ(metric("switchyard_queue_depth" + kDestination), 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_GT(metric("switchyard_queue_oldest_age_seconds" + kDestination), 0);

    mock_.set_faults({});
    ASSERT_TRUE(eventually([&] { return metric("switchyard_events_delivered_total" + kDestination) == 13; }));
    EXPECT_EQ(metric(R"(switchyard_events_received_total{source="app",workspace="e2e"})"), 14);
    EXPECT_EQ(metric("switchyard_events_dead_lettered_total" + kDestination), 1);
    EXPECT_EQ(metric("switchyard_queue_depth" + kDestination), 0);
    EXPECT_EQ(metric("switchyard_delivery_latency_seconds_count" + kDestination), 13);
    EXPECT_EQ(metric(R"(switchyard_delivery_latency_seconds_bucket{destination="e2e/iterable",le="+Inf"})"), 13);
    EXPECT_NE(get("/metrics").find("# TYPE switchyard_delivery_latency_seconds histogram\n"), std::string::npos);
}

TEST_F(Operations, SigtermDrainsAndARestartDeliversWhatWasAcknowledged) {
    mock_.set_faults({.error_rate = 1.0});
    start_host_delivering_to_mock();
    for (int seq = 0; seq < 20; ++seq) ASSERT_EQ(post("track", track("u" + std::to_string(seq % 3), seq)), 200);
    ASSERT_EQ(post("track", track("u1", 99), "a-wrong-write-key-5e1c"), 401);
    ASSERT_TRUE(eventually([&] { return metric("switchyard_events_retried_total" + kDestination) > 0; }));

    EXPECT_EQ(host_->terminate(), 0);
    const std::string log = host_->log();
    EXPECT_NE(log.find("Received SIGTERM; draining."), std::string::npos) << log;
    EXPECT_NE(log.find("Stopped"), std::string::npos) << log;
    EXPECT_TRUE(recorded_seqs(mock_).empty());

    mock_.set_faults({});
    host_->start();
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 20; })) << host_->log();
    for (const char *secret : {kWriteKey, kApiKey, "a-wrong-write-key-5e1c"})
        EXPECT_EQ(host_->log().find(secret), std::string::npos) << secret << " was logged";
}

TEST_F(Operations, AMissingEnvironmentVariableStopsTheStartNamingIt) {
    std::ofstream(root_ / "config" / "e2e.yaml")
        << workspace_yaml({"iterable"}, iterable_destination("iterable", "${SWITCHYARD_E2E_UNSET_ENDPOINT}"));
    const std::string output = (root_ / "serve.out").string();
    // Unset for the host only (env -u): unsetenv() in this process races its threads' getenv.
    const std::string command = std::string("env -u SWITCHYARD_E2E_UNSET_ENDPOINT ") + SWITCHYARD_BIN + " serve --config-dir " + (root_ / "config").string() +
                                " --plugin-dir " + PLUGIN_DIR + " --data-dir " + data_dir().string() +
                                " --listen 127.0.0.1:0 >" + output + " 2>&1";
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    std::stringstream text;
    text << std::ifstream(output).rdbuf();
    EXPECT_NE(text.str().find("e2e.yaml"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("SWITCHYARD_E2E_UNSET_ENDPOINT is not set"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace switchyard::testing
