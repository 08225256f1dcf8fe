// Plugins in plugin workers (`isolation: process`, the default): a chaos destination that
// crashes, aborts, hangs or leaks on one event beside an Iterable destination. Each time the host
// stays up, the culprit is dead-lettered with a reason naming what the plugin did, every other
// event reaches both destinations, and the Iterable destination never notices.
#include <signal.h>

#include <fstream>
#include <set>

#include "tests/e2e/chaos_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr int kEvents = 30;
constexpr int kPoisonSeq = 13;
constexpr const char *kPoison = "Boom";

struct Fault {
    const char *setting;     // the chaos plugin's setting naming the poison event
    const char *extra_keys;  // destination keys the fault needs (indented YAML)
    const char *reason;      // the poison's dead-letter reason
};
void PrintTo(const Fault &fault, std::ostream *out) { *out << fault.setting; }

class PluginContainment : public ChaosBesideIterable {
   protected:
    std::string workspace(const std::string &setting, const std::string &extra_keys) const {
        return chaos_workspace(extra_keys, "      " + setting + ": " + kPoison + "\n");
    }
    // Events of four users, the poison among them, in one batch.
    void send_events(const char *poison_name = kPoison) {
        json batch = {{"batch", json::array()}};
        for (int seq = 0; seq < kEvents; ++seq)
            batch["batch"].push_back(track("user" + std::to_string(seq % 4), seq, seq == kPoisonSeq ? poison_name : "Loaded"));
        ASSERT_EQ(post("batch", batch), 200);
    }
    static std::set<int> all_but_poison() {
        std::set<int> seqs;
        for (int seq = 0; seq < kEvents; ++seq)
            if (seq != kPoisonSeq) seqs.insert(seq);
        return seqs;
    }
    static std::set<int> all() {
        std::set<int> seqs = all_but_poison();
        seqs.insert(kPoisonSeq);
        return seqs;
    }
};

class EachFault : public PluginContainment, public ::testing::WithParamInterface<Fault> {};

TEST_P(EachFault, HostStaysUpCulpritIsDeadLetteredEverythingElseDelivered) {
    const Fault fault = GetParam();
    start_host(workspace(fault.setting, fault.extra_keys), plugin_dir());
    send_events();
    const bool settled = eventually(
        [&] { return received_seqs() == all_but_poison() && mock_seqs() == all() && dead_letters().size() == 1; },
        std::chrono::seconds(60));
    ASSERT_TRUE(settled) << host_->log();
    const std::vector<json> letters = dead_letters();
    EXPECT_EQ(letters[0]["destination"], "e2e/chaos");
    EXPECT_EQ(letters[0]["reason"], std::string("abort: ") + fault.reason);
    EXPECT_EQ(letters[0]["event"]["event"], kPoison);
    EXPECT_FALSE(host_->ended().has_value()) << host_->log();
    EXPECT_EQ(get("/healthz"), "ok\n");
    EXPECT_NE(host_->log().find("Plugin worker (pid "), std::string::npos) << host_->log();
}

INSTANTIATE_TEST_SUITE_P(
    Faults, EachFault,
    ::testing::Values(Fault{"crashOn", "", "plugin crashed (SIGSEGV) transforming this event"},
                      Fault{"abortOn", "", "plugin crashed (SIGABRT) transforming this event"},
                      Fault{"sendCrashOn", "", "plugin crashed (SIGSEGV) sending this request, 3 times"},
                      Fault{"hangOn", "    call_timeout: 500ms\n",
                            "plugin timed out after 500 ms sending this request, 3 times"}),
    [](const ::testing::TestParamInfo<Fault> &info) { return std::string(info.param.setting); });

// Resident memory of `pid` in MiB, from /proc.
long resident_mib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
    return -1;
}

TEST_F(PluginContainment, ALeakingPluginsWorkerIsRestartedAndTheHostDoesNotGrow) {
    // Every event leaks 64 MiB: 30 of them would be nearly 2 GiB in a host without workers.
    start_host(workspace("leakOn", "    memory_limit: 256MiB\n"), plugin_dir());
    const long before = resident_mib(host_->pid());
    json batch = {{"batch", json::array()}};
    for (int seq = 0; seq < kEvents; ++seq) batch["batch"].push_back(track("user" + std::to_string(seq % 4), seq, kPoison));
    ASSERT_EQ(post("batch", batch), 200);
    ASSERT_TRUE(eventually([&] { return received_seqs() == all() && mock_seqs() == all(); }, std::chrono::seconds(60)))
        << host_->log();
    EXPECT_TRUE(dead_letters().empty());
    EXPECT_LT(resident_mib(host_->pid()) - before, 64) << host_->log();  // less than one leaked block
    EXPECT_FALSE(host_->ended().has_value());
    const std::string log = host_->log();
    EXPECT_TRUE(log.find("exceeded its memory limit") != std::string::npos ||
                log.find("crashed (SIGABRT)") != std::string::npos)
        << log;
}

// The worker's pids: the host's children.
std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> children;
    std::ifstream list("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) + "/children");
    for (pid_t pid; list >> pid;) children.push_back(pid);
    return children;
}

TEST_F(PluginContainment, KillNineOfAWorkerUnderLoadLosesNothingAcknowledged) {
    start_host(workspace("crashOn", ""), plugin_dir());
    std::set<int> acknowledged;
    int seq = 0;
    bool killed = false;
    for (int round = 0; round < 40; ++round) {
        json batch = {{"batch", json::array()}};
        std::vector<int> seqs;
        for (int i = 0; i < 25; ++i, ++seq) {
            batch["batch"].push_back(track("user" + std::to_string(seq % 7), seq));
            seqs.push_back(seq);
        }
        if (post("batch", batch) == 200) acknowledged.insert(seqs.begin(), seqs.end());
        if (round == 20)
            for (pid_t worker : children_of(host_->pid())) killed = ::kill(worker, SIGKILL) == 0 || killed;
    }
    ASSERT_TRUE(killed) << "no plugin worker to kill";
    ASSERT_TRUE(eventually([&] {
        const std::set<int> got = received_seqs();
        return std::includes(got.begin(), got.end(), acknowledged.begin(), acknowledged.end()) &&
               std::ranges::includes(mock_seqs(), acknowledged);
    }, std::chrono::seconds(60)))
        << host_->log();
    EXPECT_TRUE(dead_letters().empty());
    EXPECT_FALSE(host_->ended().has_value());
    EXPECT_NE(host_->log().find("crashed (SIGKILL)"), std::string::npos) << host_->log();
}

class InitCrash : public EndToEnd, public ::testing::WithParamInterface<const char *> {
   protected:
    // `serve` over the workspace `destinations` (YAML) of the crash_in_init plugin, until it exits.
    CliRun serve_crash_in_init(const std::vector<std::string> &ids, const std::string &destinations) {
        const std::filesystem::path plugins = root_ / "plugins";
        std::filesystem::create_directory(plugins);
        std::filesystem::copy_file(CRASH_IN_INIT_FIXTURE, plugins / "crash_in_init.so");
        std::ofstream(root_ / "config" / "e2e.yaml") << workspace_yaml(ids, destinations);
        return run_command(std::string(SWITCHYARD_BIN) + " serve --listen 127.0.0.1:0 --config-dir " +
                           (root_ / "config").string() + " --plugin-dir " + plugins.string() + " --data-dir " +
                           data_dir().string());
    }
};

// A plugin whose init segfaults, in each mode: serve refuses to start with a sentence naming it,
// instead of dying of the signal.
TEST_P(InitCrash, ServeRefusesToStartWithASentence) {
    const CliRun run = serve_crash_in_init(
        {"boom"}, "  - id: boom\n    plugin: crash_in_init\n    isolation: " + std::string(GetParam()) +
                      "\n    settings:\n      crash: true\n");
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("destination \"boom\""), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("(SIGSEGV)"), std::string::npos) << run.output;
}

// Inits made together (a batch down one worker channel, or one probe child for all): the one that
// crashes is named, and its neighbours made before and after it are not.
TEST_P(InitCrash, OnlyTheCrashingInitAmongManyIsNamed) {
    std::string destinations;
    for (const char *id : {"calm1", "calm2", "boom", "calm3", "calm4"})
        destinations += "  - id: " + std::string(id) + "\n    plugin: crash_in_init\n    isolation: " +
                        std::string(GetParam()) + "\n    settings:\n      crash: " +
                        (std::string(id) == "boom" ? "true" : "false") + "\n";
    const CliRun run = serve_crash_in_init({"calm1", "calm2", "boom", "calm3", "calm4"}, destinations);
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("destination \"boom\""), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("(SIGSEGV)"), std::string::npos) << run.output;
    for (const char *calm : {"calm1", "calm2", "calm3", "calm4"})
        EXPECT_EQ(run.output.find("destination \"" + std::string(calm) + "\""), std::string::npos) << run.output;
}

INSTANTIATE_TEST_SUITE_P(Modes, InitCrash, ::testing::Values("process", "in-process"),
                         [](const ::testing::TestParamInfo<const char *> &info) {
                             return std::string(info.param) == "process" ? "process" : "in_process";
                         });

}  // namespace
}  // namespace switchyard::testing
