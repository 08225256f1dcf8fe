// The webhook plugin through `switchyard serve`: events posted to the ingestion API arrive at a
// receiver on 127.0.0.1 as the host stored them (one object per request, or arrays), with the
// configured headers; a refusal by the receiver is dead-lettered without the credential.
#include "host/store/store.h"
#include "tests/support/cli_run.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/webhook/receiver.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;
using webhook::testing::Answer;
using webhook::testing::Receiver;
using webhook::testing::Received;

constexpr const char *kHookToken = "Bearer e2e-hook-token-51c2";

class WebhookEndToEnd : public EndToEnd {
   protected:
    void start_with(int batch_size) {
        const std::string destination = "  - id: hook\n    plugin: webhook\n    settings:\n      url: " + receiver_.url() +
                                        "\n      batchSize: " + std::to_string(batch_size) +
                                        "\n      headers:\n        Authorization: " + kHookToken + "\n" + fast_retries("10m");
        start_host(workspace_yaml({"hook"}, destination));
    }
    // The `seq` property of every event received, in arrival order (bodies are objects or arrays).
    std::vector<int> received_seqs() const {
        std::vector<int> seqs;
        for (const Received &request : receiver_.received()) {
            const json body = json::parse(request.body);
            for (const json &event : body.is_array() ? body : json::array({body}))
                seqs.push_back(event["properties"]["seq"].get<int>());
        }
        return seqs;
    }
    Receiver receiver_;
};

TEST_F(WebhookEndToEnd, EachEventArrivesAsTheStoredMessage) {
    start_with(1);
    json event = track("u1", 1);
    event["messageId"] = "m-1";
    ASSERT_EQ(post("track", event), 200);
    ASSERT_TRUE(eventually([&] { return receiver_.received().size() == 1; })) << host_->log();
    const Received request = receiver_.received()[0];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/hook");
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    EXPECT_EQ(request.header("Authorization"), kHookToken);
    // The host's members first (normalize.cpp), then the client's in the order it sent them.
    const std::string &body = request.body;
    EXPECT_EQ(body.rfind(R"({"type":"track","messageId":"m-1","receivedAt":")", 0), 0u) << body;
    EXPECT_NE(body.find(R"(","request_ip":"127.0.0.1",)"), std::string::npos) << body;
    const std::string tail = R"(,"event":"Loaded","properties":{"seq":1},"userId":"u1"})";
    ASSERT_GE(body.size(), tail.size());
    EXPECT_EQ(body.substr(body.size() - tail.size()), tail) << body;
    const json parsed = json::parse(body);
    EXPECT_TRUE(parsed["receivedAt"].is_string());
    EXPECT_TRUE(parsed["timestamp"].is_string());
    EXPECT_EQ(host_->log().find("e2e-hook-token"), std::string::npos) << "the header value was logged";
    // The plugin's own counter (sy_host_api.count), under its name and the destination's.
    const std::string metric = "switchyard_plugin_webhook_sent_bytes_total{destination=\"e2e/hook\"} " +
                               std::to_string(body.size()) + "\n";
    EXPECT_NE(get("/metrics").find(metric), std::string::npos) << metric << "not in:\n" << get("/metrics");
}

TEST_F(WebhookEndToEnd, BatchedEventsArriveAsArraysInOrder) {
    start_with(10);
    json batch = {{"batch", json::array()}};
    for (int seq = 0; seq < 6; ++seq) batch["batch"].push_back(track("u1", seq));
    ASSERT_EQ(post("batch", batch), 200);
    ASSERT_TRUE(eventually([&] { return received_seqs().size() == 6; })) << host_->log();
    EXPECT_EQ(received_seqs(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
    for (const Received &request : receiver_.received()) {
        const json body = json::parse(request.body);
        EXPECT_TRUE(body.is_array()) << request.body;
        EXPECT_LE(body.size(), 10u);
    }
}

TEST_F(WebhookEndToEnd, ARefusalIsDeadLetteredWithoutTheCredential) {
    receiver_.answer_with(Answer{422, std::string("rejected; auth was ") + kHookToken, {}});
    start_with(1);
    ASSERT_EQ(post("track", track("u1", 1)), 200);
    ASSERT_TRUE(eventually([&] { return receiver_.received().size() == 1; })) << host_->log();
    ASSERT_EQ(host_->terminate(), 0);
    EXPECT_EQ(receiver_.received().size(), 1u);  // a 4xx is never retried
    const std::vector<DeadLetter> dead = open_sqlite_store(data_dir())->dead_letters("", 10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].destination, "e2e/hook");
    EXPECT_NE(dead[0].reason.find("HTTP 422"), std::string::npos) << dead[0].reason;
    EXPECT_EQ(dead[0].reason.find("e2e-hook-token"), std::string::npos) << dead[0].reason;
    EXPECT_EQ(host_->log().find("e2e-hook-token"), std::string::npos) << "the header value was logged";
}

// `switchyard verify`: one line per destination, from each plugin's verify hook (the webhook asks
// its URL with OPTIONS); a plugin without the hook is skipped; any failure exits 1.
TEST_F(WebhookEndToEnd, VerifySaysPerDestinationWhetherItAnswers) {
    const UnlistenedPort closed;
    const std::string hooks = "  - id: up\n    plugin: webhook\n    settings:\n      url: " + receiver_.url() +
                              "\n  - id: down\n    plugin: webhook\n    settings:\n      url: " + closed.url("/hook") +
                              "\n  - id: discard\n    plugin: template\n    settings: {}\n";
    std::ofstream(root_ / "config" / "e2e.yaml") << workspace_yaml({"up", "down", "discard"}, hooks);
    const std::string verify = std::string(SWITCHYARD_BIN) + " verify --plugin-dir " PLUGIN_DIR " --config-dir " +
                               (root_ / "config").string();

    const CliRun all = run_command(verify);
    EXPECT_EQ(all.exit_code, 1) << all.output;
    EXPECT_NE(all.output.find("ok e2e/up\n"), std::string::npos) << all.output;
    EXPECT_NE(all.output.find("FAIL e2e/down: "), std::string::npos) << all.output;
    EXPECT_NE(all.output.find("skip e2e/discard: plugin template has no verify hook\n"), std::string::npos)
        << all.output;
    EXPECT_EQ(receiver_.received().size(), 1u);
    EXPECT_EQ(receiver_.received()[0].method, "OPTIONS");

    const CliRun one = run_command(verify + " --destination e2e/up");
    EXPECT_EQ(one.exit_code, 0) << one.output;
    EXPECT_EQ(one.output, "ok e2e/up\n");
    const CliRun unknown = run_command(verify + " --destination e2e/nope");
    EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
    EXPECT_NE(unknown.output.find("no destination \"e2e/nope\""), std::string::npos) << unknown.output;
}

}  // namespace
}  // namespace switchyard::testing
