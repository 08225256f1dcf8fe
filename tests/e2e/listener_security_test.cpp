// The running host's listener against a slowloris from one address, with tokens on /admin/* and
// /metrics, over TLS, and refusing bad combinations of those flags.
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/cli_run.h"
#include "tests/support/raw_client.h"
#include "tests/support/self_signed_cert.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char *kAdminToken = "admin-token-5b1e9c0d7a";
constexpr const char *kMetricsToken = "metrics-token-c83f2a61e4";

CliRun run_cli(const std::string &arguments) { return run_command(std::string(SWITCHYARD_BIN) + " " + arguments); }

class ListenerSecurity : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    std::string workspace() const { return workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())); }

    std::filesystem::path write_file(const std::string &name, const std::string &content) const {
        const std::filesystem::path file = root_ / name;
        std::ofstream(file) << content;
        return file;
    }

    // The status of GET `path` with `headers`; 0 when no answer came.
    int status_of(const std::string &path, const httplib::Headers &headers = {}) {
        const httplib::Result result = host_->client()->Get(path.c_str(), headers);
        return result ? result->status : 0;
    }

    MockIterable mock_{MockOptions{.api_keys = {kApiKey}, .rate_limits = false, .disallowed_events = {}}};
};

// The review's slowloris: one address opens more connections than the listener's bound and
// keeps each alive with a header line. It gets its 32, the rest is refused at once, and a
// client on another address has its events stored all along.
TEST_F(ListenerSecurity, ASlowlorisFromOneAddressLeavesRoomForOthers) {
    start_host(workspace(), PLUGIN_DIR, {"--max-connections", "64", "--request-timeout", "60s", "--header-timeout", "60s"});
    std::vector<std::unique_ptr<RawClient>> slowloris;
    for (int i = 0; i < 80; ++i) {
        slowloris.push_back(std::make_unique<RawClient>(host_->port(), "127.0.0.2"));
        ASSERT_TRUE(slowloris.back()->connected());
        slowloris.back()->send("POST /v1/track HTTP/1.1\r\nHost: h\r\n");
    }
    auto client = host_->client();
    client->set_basic_auth(kWriteKey, "");
    for (int seq = 0; seq < 10; ++seq) {
        for (auto &held : slowloris) held->send("X-Slow: " + std::to_string(seq) + "\r\n");
        const httplib::Result result = client->Post("/v1/track", track("u1", seq).dump(), "application/json");
        ASSERT_TRUE(result) << "no answer";
        ASSERT_EQ(result->status, 200) << result->body;
    }
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() >= 10; })) << host_->log();
    const std::string metrics = client->Get("/metrics")->body;
    EXPECT_NE(metrics.find("switchyard_http_connections_refused_total{reason=\"per_client\"} 48\n"), std::string::npos)
        << metrics;
    EXPECT_EQ(metrics.find("reason=\"full\""), std::string::npos) << metrics;
}

TEST_F(ListenerSecurity, AdminAndMetricsAnswerOnlyTheirTokens) {
    const std::filesystem::path token_file = write_file("admin.token", std::string(kAdminToken) + "\n");
    start_host(workspace(), PLUGIN_DIR, {"--admin-token-file", token_file.string(), "--metrics-token", kMetricsToken});
    const httplib::Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
    const httplib::Headers metrics = {{"Authorization", std::string("Bearer ") + kMetricsToken}};

    const httplib::Result refused = host_->client()->Get("/admin/status");  // from loopback, yet without the token
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(nlohmann::json::parse(refused->body)["error"],
              "/admin/* needs the token it was started with, as \"Authorization: Bearer <token>\".");
    EXPECT_EQ(status_of("/admin/status", metrics), 401);
    EXPECT_EQ(status_of("/admin/status", {{"Authorization", std::string("Bearer ") + kAdminToken + "x"}}), 401);
    EXPECT_EQ(status_of("/admin/status", {{"Authorization", std::string("Basic ") + kAdminToken}}), 401);
    EXPECT_EQ(status_of("/admin/status", admin), 200);
    const httplib::Result reloaded = host_->client()->Post("/admin/reload", admin, "", "text/plain");
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(reloaded->status, 200) << reloaded->body;

    EXPECT_EQ(status_of("/metrics"), 401);
    EXPECT_EQ(status_of("/metrics", admin), 401);
    EXPECT_EQ(status_of("/metrics", metrics), 200);
    EXPECT_EQ(status_of("/healthz"), 200);

    EXPECT_EQ(host_->log().find(kAdminToken), std::string::npos);
    EXPECT_EQ(host_->log().find(kMetricsToken), std::string::npos);
}

TEST_F(ListenerSecurity, WithoutATokenALoopbackRequestRelayedByAProxyIsRefused) {
    start_host(workspace());
    EXPECT_EQ(status_of("/admin/status"), 200);
    EXPECT_EQ(status_of("/admin/status", {{"X-Forwarded-For", "203.0.113.9"}}), 403);
    EXPECT_EQ(status_of("/admin/status", {{"Forwarded", "for=203.0.113.9"}}), 403);
    EXPECT_EQ(status_of("/admin/status", {{"X-Real-IP", "203.0.113.9"}}), 403);
}

TEST_F(ListenerSecurity, ServesHttpsWithTheGivenCertificate) {
    const SelfSignedCert cert = make_self_signed_cert(root_);
    start_host(workspace(), PLUGIN_DIR, {"--tls-cert", cert.certificate.string(), "--tls-key", cert.private_key.string()});
    EXPECT_NE(host_->log().find("(HTTPS)"), std::string::npos) << host_->log();
    httplib::SSLClient client("127.0.0.1", host_->port());
    client.set_ca_cert_path(cert.certificate.c_str());
    client.enable_server_certificate_verification(true);
    client.set_basic_auth(kWriteKey, "");
    const httplib::Result result = client.Post("/v1/track", track("u1", 7).dump(), "application/json");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200) << result->body;
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_) == std::vector<int>{7}; })) << host_->log();

    RawClient plain(host_->port());
    ASSERT_TRUE(plain.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n"));
    const std::string answer = plain.read_until_closed();
    EXPECT_TRUE(plain.closed());
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("speaks HTTPS only"), std::string::npos) << answer;
}

TEST_F(ListenerSecurity, BadCombinationsExit2WithOneSentenceAndNeverShowTheToken) {
    const std::string serve = "serve --config-dir " + (root_ / "config").string() + " --data-dir " + data_dir().string() + " ";
    const SelfSignedCert cert = make_self_signed_cert(root_);
    const std::filesystem::path empty = write_file("empty.token", "");
    const std::filesystem::path token = write_file("admin.token", kAdminToken);
    const std::string short_token = "sh0rt-s3cret";
    const std::pair<std::string, std::string> cases[] = {
        {"--tls-cert " + cert.certificate.string(), "--tls-cert and --tls-key go together: give both or neither."},
        {"--tls-key " + cert.private_key.string(), "--tls-cert and --tls-key go together: give both or neither."},
        {"--tls-cert " + (root_ / "none.pem").string() + " --tls-key " + cert.private_key.string(),
         "Cannot read the TLS certificate file " + (root_ / "none.pem").string() + "."},
        {"--admin-token-file " + empty.string(), "--admin-token-file " + empty.string() + " cannot be read or is empty."},
        {"--metrics-token-file " + (root_ / "none").string(),
         "--metrics-token-file " + (root_ / "none").string() + " cannot be read or is empty."},
        {"--admin-token " + short_token,
         "The --admin-token token must be at least 16 printable ASCII characters without spaces."},
        {"--admin-token " + std::string(kAdminToken) + " --admin-token-file " + token.string(),
         "Give --admin-token or --admin-token-file, not both."},
        {"--max-connections-per-client 0", "--max-connections-per-client positive numbers"},
        {"--header-timeout soon", "--header-timeout"},
    };
    for (const auto &[flags, sentence] : cases) {
        const CliRun run = run_cli(serve + flags);
        EXPECT_EQ(run.exit_code, 2) << flags << "\n" << run.output;
        EXPECT_NE(run.output.find(sentence), std::string::npos) << flags << "\n" << run.output;
        EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
        EXPECT_EQ(run.output.find(short_token), std::string::npos) << run.output;
        EXPECT_EQ(run.output.find(std::string(kAdminToken) + " "), std::string::npos) << run.output;
    }
}

}  // namespace
}  // namespace switchyard::testing
