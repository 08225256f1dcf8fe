// Browser SDKs, unmodified, in headless Chromium: a page served on one loopback port loads the
// RudderStack JS SDK (XMLHttpRequest to /v1/<type>, with a CORS preflight for its Authorization,
// AnonymousId and SentAt headers) or Segment analytics.js (fetch to /v1/i|t|p, text/plain), both
// pointed at the host on another port; their events reach the mock Iterable. The source allows
// only the page's origin. Chromium resolves no name but 127.0.0.1, so nothing leaves the machine.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/npm_packages.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

// tests/e2e/browser (package.json, package-lock.json, the pages), and the build-tree directory
// where it is copied and installed and from which the pages are served.
const std::filesystem::path kPagesSource = BROWSER_SOURCE_DIR;
const std::filesystem::path kPagesDir = BROWSER_INSTALL_DIR;

// The page's own server: static files of kPagesDir on an ephemeral loopback port.
class PageServer {
   public:
    PageServer() {
        if (!server_.set_mount_point("/", kPagesDir.string()))
            throw std::runtime_error("cannot serve " + kPagesDir.string() + ": no such directory");
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("could not bind a loopback port for the pages");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~PageServer() {
        server_.stop();
        thread_.join();
    }
    std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

   private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

// A shell command in its own process group, killed with all its children when this goes; its
// output goes to `log`.
class BrowserProcess {
   public:
    BrowserProcess(const std::string &command, std::filesystem::path log) : log_(std::move(log)) {
        const std::string redirected = "exec " + command + " >" + shell_quoted(log_.string()) + " 2>&1";
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            ::execl("/bin/sh", "sh", "-c", redirected.c_str(), static_cast<char *>(nullptr));
            ::_exit(127);
        }
        if (pid_ > 0) ::setpgid(pid_, pid_);  // also here: the kill below may come before the child's
    }
    ~BrowserProcess() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    BrowserProcess(const BrowserProcess &) = delete;
    BrowserProcess &operator=(const BrowserProcess &) = delete;
    std::string output() const {
        std::ifstream in(log_);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

   private:
    std::filesystem::path log_;
    pid_t pid_ = -1;
};

class Browser : public EndToEnd {
   protected:
    void SetUp() override {
        chromium_ = find_on_path("chromium");
        if (!chromium_) GTEST_SKIP() << "chromium is not installed: the browser test needs it (scripts/setup.sh --test-deps)";
        ASSERT_EQ(npm_install(kPagesSource, kPagesDir, {"package.json", "package-lock.json", "rudderstack.html", "segment.html"}),
                  "");
        pages_ = std::make_unique<PageServer>();
        mock_.start();
        // trackAllPages: pages reach Iterable as "Loaded a Page".
        const std::string yaml = "workspace: e2e\nsources:\n  - id: app\n    write_key: " + std::string(kWriteKey) +
                                 "\n    destinations: [iterable]\n    allowed_origins: [" + pages_->origin() +
                                 "]\ndestinations:\n" +
                                 iterable_destination("iterable", mock_.base_url(), "      trackAllPages: true\n");
        start_host(yaml);
    }

    // Opens `page` with `query` in headless Chromium, which keeps the page open until the returned
    // object goes: the test waits for the events themselves, never for a time budget that a busy
    // machine could exhaust first. Only loopback names resolve; every other is "not found".
    std::unique_ptr<BrowserProcess> open(const std::string &page, const std::string &query) {
        const std::filesystem::path profile = root_ / ("chromium-" + page);
        const std::string url = pages_->origin() + "/" + page + "?" + query;
        return std::make_unique<BrowserProcess>(
            shell_quoted(*chromium_) +
                " --headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync"
                " --disable-background-networking --disable-component-update --no-proxy-server"
                " --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"
                " --user-data-dir=" + shell_quoted(profile.string()) + " " + shell_quoted(url),
            root_ / ("chromium-" + page + ".log"));
    }

    // The names of the events the mock received, with their user.
    std::set<std::pair<std::string, std::string>> events_received() {
        std::set<std::pair<std::string, std::string>> events;
        const json state = mock_.state();
        for (const json &event : state["events"])
            events.emplace(event.value("eventName", ""), event.value("userId", event.value("email", "")));
        return events;
    }

    std::optional<std::filesystem::path> chromium_;
    std::unique_ptr<PageServer> pages_;  // made after the install: it mounts a directory that must exist
    MockIterable mock_{MockOptions{}};  // a member, so it outlives the host (EndToEnd::TearDown)
};

const std::string kAda = "ada@example.com";
const std::string kBob = "bob@example.com";

TEST_F(Browser, RudderStackJsSdkEventsReachTheMock) {
    const auto chromium = open("rudderstack.html", "writeKey=" + std::string(kWriteKey) + "&host=" + host_->base_url());
    ASSERT_TRUE(eventually([&] { return mock_.state()["events"].size() >= 2 && mock_.state()["users"].size() >= 1; }))
        << mock_.state().dump(2) << chromium->output() << host_->log();
    EXPECT_EQ(events_received(), (std::set<std::pair<std::string, std::string>>{{"Signed Up", kAda}, {"Loaded a Page", kAda}}));
    EXPECT_EQ(mock_.state()["users"][kAda]["dataFields"]["name"], "Ada") << mock_.state().dump(2);
}

TEST_F(Browser, SegmentAnalyticsJsEventsReachTheMock) {
    const std::string host = host_->base_url().substr(std::string("http://").size());
    const auto chromium = open("segment.html", "writeKey=" + std::string(kWriteKey) + "&host=" + host);
    ASSERT_TRUE(eventually([&] { return mock_.state()["events"].size() >= 2 && mock_.state()["users"].size() >= 1; }))
        << mock_.state().dump(2) << chromium->output() << host_->log();
    EXPECT_EQ(events_received(), (std::set<std::pair<std::string, std::string>>{{"Clicked", kBob}, {"Loaded a Page", kBob}}));
    EXPECT_EQ(mock_.state()["users"][kBob]["dataFields"]["name"], "Bob") << mock_.state().dump(2);
}

// The beacon and short paths through `serve`, without a browser: a wrong key is refused, and
// no key, right or wrong, shows in the host's log.
class BrowserPaths : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())));
    }
    MockIterable mock_{MockOptions{}};
};

TEST_F(BrowserPaths, BeaconAndShortPathsDeliverAndNoKeyIsLogged) {
    const std::string wrong_key = "wk-not-configured-5521";
    auto client = host_->client();
    const json beacon = {{"batch", {{{"type", "track"}, {"event", "Beacon"}, {"userId", kAda}}}}};
    EXPECT_EQ(client->Post(("/beacon/v1/batch?writeKey=" + std::string(kWriteKey)).c_str(), beacon.dump(), "text/plain")->status,
              200);
    EXPECT_EQ(client->Post(("/beacon/v1/batch?writeKey=" + wrong_key).c_str(), beacon.dump(), "text/plain")->status, 401);
    const json short_track = {{"writeKey", kWriteKey}, {"event", "Short"}, {"userId", kBob}};
    EXPECT_EQ(client->Post("/v1/t", short_track.dump(), "text/plain")->status, 200);
    json wrong = short_track;
    wrong["writeKey"] = wrong_key;
    EXPECT_EQ(client->Post("/v1/t", wrong.dump(), "text/plain")->status, 401);

    ASSERT_TRUE(eventually([&] { return mock_.state()["events"].size() >= 2; })) << mock_.state().dump(2) << host_->log();
    const json state = mock_.state();
    std::set<std::string> names;
    for (const json &event : state["events"]) names.insert(event.value("eventName", ""));
    EXPECT_EQ(names, (std::set<std::string>{"Beacon", "Short"}));
    const std::string log = host_->log();
    EXPECT_EQ(log.find(kWriteKey), std::string::npos) << log;
    EXPECT_EQ(log.find(wrong_key), std::string::npos) << log;
}

}  // namespace
}  // namespace switchyard::testing
