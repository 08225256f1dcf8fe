// Secrets are never printed: a workspace whose write key, API key, ${file:} secret, ${ENV} value
// and schema-marked token are distinctive strings; a plugin that logs its settings and quotes
// them in its init error, a destination that echoes the API key, dead letters and a refused
// reload; then every output an operator sees is searched for each secret.
#include <stdlib.h>

#include <array>
#include <cstdio>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/cli_run.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<const char *, const char *>, 5> kSecrets = {{
    {"write key", "sec-e2e-write-key-4d1c"},
    {"Iterable API key", "sec-e2e-api-key-9b7e"},
    {"${file:} secret", "sec-e2e-file-secret-2a6f"},
    {"${ENV} value", "sec-e2e-env-value-5c3d"},
    {"x-secret setting", "sec-e2e-token-8e0b"},
}};
constexpr const char *kWriteKeySecret = kSecrets[0].second;
constexpr const char *kApiKeySecret = kSecrets[1].second;

CliRun run_cli(const std::string &arguments) { return run_command(std::string(SWITCHYARD_BIN) + " " + arguments); }

class Secrets : public EndToEnd {
   protected:
    void SetUp() override {
        // The host and the CLI inherit it. NOLINTNEXTLINE(concurrency-mt-unsafe): no other thread runs yet
        ::setenv("SWITCHYARD_SECRETS_E2E_ENV", kSecrets[3].second, 1);
        mock_.start();
        std::ofstream(root_ / "config" / "file-secret") << kSecrets[2].second << "\n";
        // The echo plugin beside the Iterable plugin.
        std::filesystem::create_directory(plugin_dir());
        std::filesystem::copy_file(std::filesystem::path(PLUGIN_DIR) / "iterable.so", plugin_dir() / "iterable.so");
        std::filesystem::copy_file(ECHO_PLUGIN, plugin_dir() / "echo_settings.so");
    }

    // The echo destination comes first: its init runs before the Iterable destination is created,
    // and it quotes the Iterable API key and the write key as well as its own settings.
    std::string workspace(bool echo_refuses) const {
        return "workspace: e2e\nsources:\n  - id: app\n    write_key: " + std::string(kWriteKeySecret) +
               "\n    destinations: [iterable]\ndestinations:\n"
               "  - id: echo\n    plugin: echo_settings\n    settings:\n      token: " + kSecrets[4].second +
               "\n      copied_api_key: " + kApiKeySecret + "\n      copied_write_key: " + kWriteKeySecret +
               "\n      from_file: ${file:file-secret}\n      from_env: ${SWITCHYARD_SECRETS_E2E_ENV}\n      refuse: " +
               (echo_refuses ? "true" : "false") + "\n" +
               "  - id: iterable\n    plugin: iterable\n    settings:\n      apiKey: " + kApiKeySecret +
               "\n      endpoint: " + mock_.base_url() + "\n" + fast_retries();
    }
    void write_workspace(bool echo_refuses) const { std::ofstream(root_ / "config" / "e2e.yaml") << workspace(echo_refuses); }

    std::filesystem::path plugin_dir() const { return root_ / "plugins"; }
    std::string dirs() const { return " --config-dir " + (root_ / "config").string() + " --plugin-dir " + plugin_dir().string(); }

    MockIterable mock_{MockOptions{{kApiKeySecret}, true, {}}};
};

TEST_F(Secrets, NoOutputShowsAnySecret) {
    std::map<std::string, std::string> outputs;  // where → what it showed

    write_workspace(true);
    const CliRun check = run_cli("check" + dirs());
    EXPECT_EQ(check.exit_code, 1) << check.output;
    EXPECT_NE(check.output.find("init refused: Refused settings"), std::string::npos) << check.output;
    outputs["`check` output"] = check.output;
    const CliRun refused_start = run_cli("serve" + dirs() + " --no-watch --listen 127.0.0.1:0 --data-dir " +
                                         (root_ / "refused-data").string());
    EXPECT_EQ(refused_start.exit_code, 2) << refused_start.output;
    outputs["`serve` refusing to start"] = refused_start.output;

    write_workspace(false);
    host_ = std::make_unique<HostProcess>(root_ / "config", data_dir(), plugin_dir(), std::vector<std::string>{"--no-watch"});
    host_->start();
    ASSERT_NE(host_->log().find("Started with settings"), std::string::npos) << host_->log();

    // The destination refuses the event with an answer that echoes the API key: a dead letter.
    for (const char *path : {"/api/events/trackBulk", "/api/events/track"})
        mock_.queue_response(path, 400, R"({"code":"BadApiKey","msg":"Invalid API key: )" + std::string(kApiKeySecret) + R"("})");
    ASSERT_EQ(post("track", track("u1", 1), kWriteKeySecret), 200);
    ASSERT_TRUE(eventually([&] {
        return get("/metrics").find("switchyard_dead_letters{destination=\"e2e/iterable\"} 1") != std::string::npos;
    })) << host_->log();

    write_workspace(true);
    auto reload = host_->client()->Post("/admin/reload");
    ASSERT_TRUE(reload);
    EXPECT_EQ(reload->status, 422) << reload->body;
    EXPECT_NE(reload->body.find("Refused settings"), std::string::npos) << reload->body;
    outputs["/admin/reload reply"] = reload->body;
    outputs["/admin/status"] = get("/admin/status");
    EXPECT_NE(outputs["/admin/status"].find("Refused settings"), std::string::npos) << outputs["/admin/status"];
    outputs["/metrics"] = get("/metrics");
    const CliRun letters = run_cli("dead-letter list --data-dir " + data_dir().string());
    EXPECT_NE(letters.output.find("Invalid API key: [redacted]"), std::string::npos) << letters.output;
    outputs["`dead-letter list` output"] = letters.output;

    ASSERT_EQ(host_->terminate(), 0);
    outputs["host log (stderr)"] = host_->log();
    EXPECT_NE(outputs["host log (stderr)"].find("Reload (admin) failed"), std::string::npos);

    for (const auto &[where, text] : outputs)
        for (const auto &[what, secret] : kSecrets)
            EXPECT_EQ(text.find(secret), std::string::npos) << "the " << what << " appeared in the " << where << ":\n" << text;
}

}  // namespace
}  // namespace switchyard::testing
