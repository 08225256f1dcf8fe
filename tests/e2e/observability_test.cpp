// What an operator sees while a destination fails: rate-limited failure lines without secrets,
// the last error and queue depth in /admin/status, dead-letter, build and process metrics, a
// purge that the gauge follows, a recovery line; and JSON log lines.
#include <array>
#include <cstdio>
#include <regex>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

const std::string kDestinationLabel = R"({destination="e2e/iterable"})";

class Observability : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    // The value of the sample `name{labels}` in /metrics, or -1 when absent.
    double metric(const std::string &sample) {
        const std::string text = get("/metrics");
        const size_t at = text.find("\n" + sample + " ");
        return at == std::string::npos ? -1 : std::stod(text.substr(at + sample.size() + 2));
    }

    json destination_status() {
        const json status = json::parse(get("/admin/status"));
        return status["destinations"].at(0);
    }

    static size_t occurrences(const std::string &text, const std::string &what) {
        size_t count = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
        return count;
    }

    MockIterable mock_{MockOptions{}};
};

std::string run_cli(const std::string &arguments) {
    const std::string command = std::string(SWITCHYARD_BIN) + " " + arguments + " 2>&1";
    FILE *pipe = ::popen(command.c_str(), "r");
    std::string output;
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    ::pclose(pipe);
    return output;
}

TEST_F(Observability, AFailingDestinationIsVisibleInLogsStatusAndMetrics) {
    const auto started = std::chrono::steady_clock::now();
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())));
    // The destination's answer quotes the API key: the reason must reach no log line or answer.
    for (int i = 0; i < 3; ++i)
        mock_.queue_response("/api/events/trackBulk", 503, R"({"msg":"refused key )" + std::string(kApiKey) + R"("})");
    mock_.set_faults({.error_rate = 1.0});
    for (int seq = 0; seq < 3; ++seq) ASSERT_EQ(post("track", track("u1", seq)), 200);
    ASSERT_EQ(post("alias", {{"userId", "u2"}}), 200);  // no previousId: the plugin refuses it, a dead letter

    ASSERT_TRUE(eventually([&] {
        return host_->log().find("Deliveries dead-lettered: 1 event") != std::string::npos &&
               metric("switchyard_events_retried_total" + kDestinationLabel) >= 6;  // two rounds of retries
    })) << host_->log();
    const std::string log = host_->log();
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
    EXPECT_TRUE(std::regex_search(log, std::regex(R"(level=warn component="router:e2e/iterable" msg="Deliveries failing: \d+ events? retried)")))
        << log;
    EXPECT_LE(occurrences(log, "Deliveries failing: "), static_cast<size_t>(elapsed.count() / 10 + 1)) << log;
    EXPECT_NE(log.find("refused key [redacted]"), std::string::npos) << log;
    EXPECT_EQ(log.find(kApiKey), std::string::npos) << "the API key was logged:\n" << log;

    ASSERT_TRUE(eventually([&] { return destination_status()["queue_depth"] == 3; })) << get("/admin/status");
    const json status = destination_status();
    ASSERT_TRUE(status["last_error"].is_string()) << status.dump(2);
    EXPECT_FALSE(status["last_error"].get<std::string>().empty());
    EXPECT_TRUE(std::regex_match(status["last_error_at"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << status.dump(2);
    EXPECT_EQ(get("/admin/status").find(kApiKey), std::string::npos);

    EXPECT_EQ(metric("switchyard_dead_letters" + kDestinationLabel), 1);
    EXPECT_EQ(metric(R"(switchyard_build_info{version=")" SWITCHYARD_VERSION R"(",abi="2.1"})"), 1) << get("/metrics");
    EXPECT_GT(metric("process_resident_memory_bytes"), 0);
    EXPECT_GE(metric("process_cpu_seconds_total"), 0);
    EXPECT_GT(metric("process_open_fds"), 0);
    EXPECT_GT(metric("process_max_fds"), 0);
    EXPECT_GT(metric("process_start_time_seconds"), 1.5e9);
    EXPECT_EQ(get("/metrics").find(kApiKey), std::string::npos);

    // Purged beside the running host: the gauge falls at the next scrape.
    EXPECT_EQ(run_cli("dead-letter purge --all --data-dir " + data_dir().string()), "Purged 1 dead letter.\n");
    EXPECT_EQ(metric("switchyard_dead_letters" + kDestinationLabel), 0);

    mock_.set_faults({});
    ASSERT_TRUE(eventually([&] { return host_->log().find("Deliveries recovered") != std::string::npos; })) << host_->log();
    EXPECT_EQ(occurrences(host_->log(), "Deliveries recovered"), 1u);
    ASSERT_TRUE(eventually([&] { return destination_status()["queue_depth"] == 0; }));
}

TEST_F(Observability, JsonLogLinesAreOneObjectEach) {
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())), PLUGIN_DIR,
               {"--log-format", "json", "--log-level", "debug"});
    ASSERT_EQ(post("track", track("u1", 1), "not-the-write-key"), 401);
    ASSERT_EQ(host_->terminate(), 0);
    const std::string log = host_->log();
    std::istringstream lines(log);
    size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        const json object = json::parse(line, nullptr, false);
        ASSERT_TRUE(object.is_object()) << line;
        for (const char *key : {"ts", "level", "component", "msg"}) EXPECT_TRUE(object[key].is_string()) << line;
    }
    EXPECT_GE(count, 3u) << log;  // loaded, listening, stopped
    EXPECT_EQ(log.find(kWriteKey), std::string::npos);
    EXPECT_EQ(log.find(kApiKey), std::string::npos);
}

}  // namespace
}  // namespace switchyard::testing
