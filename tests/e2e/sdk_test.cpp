// The RudderStack Node SDK, unmodified, as the host's client: its gzip-compressed batches to
// /v1/batch are accepted, and every event type it sends reaches the mock Iterable as mapped.
#include <map>
#include <optional>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/npm_packages.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

// tests/e2e/sdk (package.json, package-lock.json, client.js), and the build-tree directory where
// it is copied and installed; node_modules stays there between runs.
const std::filesystem::path kSdkSource = SDK_SOURCE_DIR;
const std::filesystem::path kSdkDir = SDK_INSTALL_DIR;
constexpr const char *kSdkPackage = "@rudderstack/rudder-sdk-node";

std::string pinned_version() {
    return json::parse(read_text(kSdkSource / "package.json"))["dependencies"][kSdkPackage].get<std::string>();
}

std::string installed_version() {
    const json manifest = json::parse(read_text(kSdkDir / "node_modules" / kSdkPackage / "package.json"), nullptr, false);
    return manifest.is_object() ? manifest.value("version", "") : "";
}

// Installs the SDK into the build tree with `npm ci`, with the client beside it.
void install_sdk() {
    const std::string failure = npm_install(kSdkSource, kSdkDir, {"package.json", "package-lock.json", "client.js"});
    ASSERT_EQ(failure, "");
    ASSERT_EQ(installed_version(), pinned_version());
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Every sample of the metric family `name` in /metrics text: labels → value.
std::map<std::string, double> samples(const std::string &metrics, const std::string &name) {
    std::map<std::string, double> values;
    std::stringstream lines(metrics);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind(name + "{", 0) == 0 && line.find(' ') != std::string::npos)
            values[line.substr(name.size(), line.find(' ') - name.size())] = std::stod(line.substr(line.find(' ') + 1));
    return values;
}

class Sdk : public EndToEnd {
   protected:
    void SetUp() override {
        node_ = find_on_path("node");
        if (!node_) GTEST_SKIP() << "node is not installed: the RudderStack SDK test needs Node.js (scripts/setup.sh installs it)";
        ASSERT_NO_FATAL_FAILURE(install_sdk());
        mock_.start();
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(), "      trackAllPages: true\n      mapToSingleEvent: false\n")));
    }

    // client.js's last line says how many events it sent, in how many requests, whether all
    // gzip-compressed; /metrics must show exactly those requests answered 200 and those events.
    void expect_batches_accepted(const std::string &client_output) {
        const std::string output = client_output.substr(0, client_output.find_last_not_of('\n') + 1);
        const json summary = json::parse(output.substr(output.find_last_of('\n') + 1), nullptr, false);
        ASSERT_TRUE(summary.is_object()) << client_output;
        EXPECT_EQ(summary["events"], 9);
        EXPECT_EQ(summary["gzip"], true) << client_output;
        const double batches = summary.value("batches", 0);
        EXPECT_GE(batches, 1);
        const std::string metrics = get("/metrics");
        EXPECT_EQ(samples(metrics, "switchyard_ingest_requests_total"),
                  (std::map<std::string, double>{{R"({code="200"})", batches}}))
            << metrics;
        EXPECT_EQ(samples(metrics, "switchyard_events_received_total"),
                  (std::map<std::string, double>{{R"({source="app",workspace="e2e"})", 9}}))
            << metrics;
    }

    std::optional<std::filesystem::path> node_;
    MockIterable mock_{MockOptions{}};  // a member, so it outlives the host (EndToEnd::TearDown)
};

const std::string kAda = "ada.lovelace@example.com";
const std::string kBob = "bob@example.com";

TEST_F(Sdk, EveryEventTypeSentByTheNodeSdkReachesTheMock) {
    const int64_t before = now_ms();
    const CommandResult client =
        run_command(shell_quoted(*node_) + " " + shell_quoted(kSdkDir / "client.js") + " " + shell_quoted(host_->base_url()) + " " + shell_quoted(kWriteKey));
    const int64_t after = now_ms();
    ASSERT_EQ(client.status, 0) << client.output << host_->log();

    ASSERT_NO_FATAL_FAILURE(expect_batches_accepted(client.output));

    ASSERT_TRUE(eventually([&] {
        const json state = mock_.state();
        return state["email_updates"].size() == 1 && state["events"].size() == 6;
    })) << mock_.state().dump(2) << host_->log();
    const json state = mock_.state();

    // Identify traits became the users' fields; the alias then moved Ada to her new email.
    EXPECT_EQ(state["email_updates"][0], (json{{"currentEmail", "ada@example.com"}, {"newEmail", kAda}}));
    ASSERT_EQ(state["users"].size(), 2u) << state.dump(2);
    const json &ada = state["users"][kAda];
    EXPECT_EQ(ada["email"], kAda);
    EXPECT_EQ(ada["userId"], kAda);
    EXPECT_EQ(ada["dataFields"], (json{{"email", "ada@example.com"}, {"name", "Ada"}, {"plan", "pro"}}));
    const json &bob = state["users"][kBob];
    EXPECT_EQ(bob["email"], kBob);
    EXPECT_EQ(bob["userId"], kBob);
    EXPECT_EQ(bob["dataFields"], (json{{"email", kBob}, {"name", "Bob"}, {"plan", "free"}}));

    // track, page and screen (trackAllPages names them "<name> page"/"<name> screen"), with
    // their properties, their user and the SDK's timestamp.
    const std::map<std::string, std::pair<std::string, json>> expected = {
        {"Signed Up", {kAda, {{"seq", 1}, {"referrer", "newsletter"}}}},
        {"Pricing page", {kAda, {{"seq", 2}, {"path", "/pricing"}}}},
        {"Home screen", {kAda, {{"seq", 3}}}},
        {"Clicked", {kBob, {{"seq", 4}, {"button", "upgrade"}}}},
        {"Docs page", {kBob, {{"seq", 5}}}},
        {"Settings screen", {kBob, {{"seq", 6}}}},
    };
    std::map<std::string, std::pair<std::string, json>> recorded;
    for (const json &event : state["events"]) {
        const std::string name = event.value("eventName", "");
        recorded[name] = {event.value("userId", ""), event.value("dataFields", json())};
        const int64_t created_at = event.value("createdAt", int64_t{0});
        EXPECT_GE(created_at, before) << name;
        EXPECT_LE(created_at, after) << name;
    }
    EXPECT_EQ(recorded, expected) << state["events"].dump(2);
    // Each user's events arrive in the order the SDK sent them.
    EXPECT_EQ(recorded_seqs(mock_, kAda), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(recorded_seqs(mock_, kBob), (std::vector<int>{4, 5, 6}));
}

}  // namespace
}  // namespace switchyard::testing
