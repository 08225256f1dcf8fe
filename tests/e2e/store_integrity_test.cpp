// One writer per store, and a store that notices when its database is pulled away: a second
// `serve` on the same data directory or port exits 2; a deleted or replaced database stops the
// acknowledgements at once (the backlog still goes out); a restart that finds only traces of a
// lost database refuses to start empty unless told to with --new-store.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

constexpr auto kNoticeDeadline = std::chrono::milliseconds(1500);  // the guard looks every 250 ms
constexpr auto kExitDeadline = std::chrono::seconds(15);
constexpr int kBacklog = 40;

struct ServeRun {
    int exit_code = -1;  // -1: killed, or still running at the deadline
    std::string output;  // stdout and stderr together
};

// Runs `switchyard serve` with `flags` and waits for it to exit; a host still running at the
// deadline is killed (the test then fails on the exit code).
ServeRun serve_until_exit(const std::filesystem::path &output_file, std::vector<std::string> flags) {
    flags.insert(flags.begin(), {SWITCHYARD_BIN, "serve", "--plugin-dir", PLUGIN_DIR, "--no-watch"});
    std::vector<char *> argv;
    for (std::string &flag : flags) argv.push_back(flag.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execv(SWITCHYARD_BIN, argv.data());
        ::_exit(127);
    }
    int status = 0;
    const bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, kExitDeadline);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    std::stringstream output;
    output << std::ifstream(output_file).rdbuf();
    return {exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1, output.str()};
}

size_t occurrences(const std::string &text, const std::string &part) {
    size_t count = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
    return count;
}

class StoreIntegrity : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    void start_host(std::vector<std::string> extra_flags = {}) {
        EndToEnd::start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())), PLUGIN_DIR,
                             std::move(extra_flags));
    }

    int readyz() {
        auto res = host_->client()->Get("/readyz");
        return res ? res->status : 0;
    }

    // Acknowledged events the mock cannot take yet: a backlog the host holds in its store.
    void post_backlog() {
        mock_.set_faults({.error_rate = 1.0});
        for (int seq = 0; seq < kBacklog; ++seq) ASSERT_EQ(post("track", track("u" + std::to_string(seq % 4), seq)), 200);
    }

    // After the database went away: within the deadline no more acknowledgements, not ready, one
    // error line. The backlog, and what was acknowledged before the guard looked, still reach the
    // mock; what was refused never does.
    void expect_refusing_but_delivering(const std::string &what_happened) {
        std::set<int> expected;
        for (int seq = 0; seq < kBacklog; ++seq) expected.insert(seq);
        int late = 10'000;
        const bool refused = eventually(
            [&] {
                if (post("track", track("late", ++late)) == 503) return true;
                expected.insert(late);  // acknowledged before the guard noticed
                return false;
            },
            kNoticeDeadline);
        ASSERT_TRUE(refused) << host_->log();
        EXPECT_EQ(readyz(), 503);
        EXPECT_EQ(post("batch", {{"batch", {track("late", ++late)}}}), 503);
        const std::string line = (data_dir() / "switchyard.db").string() + " was " + what_happened;
        EXPECT_EQ(occurrences(host_->log(), line), 1u) << host_->log();

        mock_.set_faults({});
        const bool delivered = eventually([&] { return recorded_seqs(mock_).size() >= expected.size(); });
        const std::vector<int> seqs = recorded_seqs(mock_);
        EXPECT_TRUE(delivered) << seqs.size() << " of " << expected.size() << " delivered\n" << host_->log();
        EXPECT_EQ(std::set<int>(seqs.begin(), seqs.end()), expected) << "nothing refused was kept";
        EXPECT_EQ(occurrences(host_->log(), line), 1u) << "logged once, not per request or look";
        EXPECT_EQ(host_->terminate(), 0) << host_->log();
    }

    MockIterable mock_{MockOptions{}};
};

TEST_F(StoreIntegrity, ASecondServeOnTheSameDataDirExitsTwoNamingTheHoldersPid) {
    start_host();
    const ServeRun second = serve_until_exit(root_ / "second.log", {"--config-dir", (root_ / "config").string(), "--data-dir",
                                                                    data_dir().string(), "--listen", "127.0.0.1:0"});
    EXPECT_EQ(second.exit_code, 2) << second.output;
    EXPECT_NE(second.output.find("PID " + std::to_string(host_->pid())), std::string::npos) << second.output;
    EXPECT_EQ(readyz(), 200) << "the first host goes on";
}

TEST_F(StoreIntegrity, ASecondServeOnABusyPortExitsTwoNamingTheAddress) {
    start_host();
    const std::string address = "127.0.0.1:" + std::to_string(host_->port());
    const ServeRun second = serve_until_exit(root_ / "second.log", {"--config-dir", (root_ / "config").string(), "--data-dir",
                                                                    (root_ / "other-data").string(), "--listen", address});
    EXPECT_EQ(second.exit_code, 2) << second.output;
    EXPECT_NE(second.output.find("cannot listen on " + address), std::string::npos) << second.output;
}

TEST_F(StoreIntegrity, ADeletedDatabaseStopsAcknowledgementsAndTheBacklogStillGoesOut) {
    start_host();
    post_backlog();
    std::filesystem::remove(data_dir() / "switchyard.db");
    expect_refusing_but_delivering("deleted");
}

TEST_F(StoreIntegrity, AReplacedDatabaseStopsAcknowledgementsAndTheBacklogStillGoesOut) {
    start_host();
    post_backlog();
    std::ofstream(data_dir() / "impostor.db") << "not the store";
    std::filesystem::rename(data_dir() / "impostor.db", data_dir() / "switchyard.db");
    expect_refusing_but_delivering("replaced");
    EXPECT_FALSE(std::filesystem::exists(data_dir() / "switchyard.db-wal")) << "no start replays the lost log";
}

TEST_F(StoreIntegrity, ARestartThatFindsOnlyTracesOfTheDatabaseRefusesUnlessToldNewStore) {
    start_host();
    ASSERT_EQ(post("track", track("u1", 1)), 200);
    ASSERT_EQ(host_->terminate(), 0);
    std::filesystem::remove(data_dir() / "switchyard.db");

    const std::vector<std::string> flags = {"--config-dir", (root_ / "config").string(), "--data-dir",
                                            data_dir().string(), "--listen", "127.0.0.1:0"};
    const ServeRun refused = serve_until_exit(root_ / "restart.log", flags);
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find("no database " + (data_dir() / "switchyard.db").string()), std::string::npos)
        << refused.output;
    EXPECT_NE(refused.output.find("--new-store"), std::string::npos) << refused.output;
    EXPECT_FALSE(std::filesystem::exists(data_dir() / "switchyard.db")) << "nothing was created";

    host_ = std::make_unique<HostProcess>(root_ / "config", data_dir(), PLUGIN_DIR, std::vector<std::string>{"--new-store"});
    host_->start();
    EXPECT_NE(host_->log().find("Started a new empty store"), std::string::npos) << host_->log();
    EXPECT_EQ(post("track", track("u1", 2)), 200);
}

TEST_F(StoreIntegrity, AFirstStartOnAnEmptyDataDirNeedsNoFlag) {
    std::filesystem::create_directory(data_dir());
    start_host();
    EXPECT_EQ(post("track", track("u1", 1)), 200);
    EXPECT_EQ(host_->log().find("Started a new empty store"), std::string::npos) << "a first start is not news";
}

}  // namespace
}  // namespace switchyard::testing
