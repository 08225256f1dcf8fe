// Plugin calls that never return (the chaos plugin's hangOn, in its send) beside an Iterable
// destination: in-process, the stuck worker is abandoned at call_timeout and the hanging event
// dead-lettered after 3 timeouts while everything else is delivered; in both isolation modes,
// SIGTERM ends the host within --shutdown-timeout, and a restart without the fault delivers every
// acknowledged event.
#include <set>

#include "tests/e2e/chaos_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr int kEvents = 30;
constexpr int kPoisonSeq = 13;
constexpr const char *kPoison = "Hang";

class CallDeadline : public ChaosBesideIterable {
   protected:
    // `containment`: the chaos destination's isolation keys (indented YAML); `hang`: whether it hangs.
    std::string workspace(const std::string &containment, bool hang) const {
        return chaos_workspace(containment, hang ? std::string("      hangOn: ") + kPoison + "\n" : "");
    }
    void send_events() {
        json batch = {{"batch", json::array()}};
        for (int seq = 0; seq < kEvents; ++seq)
            batch["batch"].push_back(track("user" + std::to_string(seq % 4), seq, seq == kPoisonSeq ? kPoison : "Loaded"));
        ASSERT_EQ(post("batch", batch), 200);
    }
    // The destination `key` of /admin/status.
    json status_of(const std::string &key) {
        const json status = json::parse(get("/admin/status"));
        for (const json &destination : status["destinations"])
            if (destination["key"] == key) return destination;
        return nullptr;
    }
    int plugin_calls_running() {
        const std::string metrics = get("/metrics");
        const std::string name = "\nswitchyard_plugin_calls_running ";
        const size_t at = metrics.find(name);
        return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + name.size()));
    }
    static std::set<int> all(bool with_poison = true) {
        std::set<int> seqs;
        for (int seq = 0; seq < kEvents; ++seq)
            if (with_poison || seq != kPoisonSeq) seqs.insert(seq);
        return seqs;
    }
};

TEST_F(CallDeadline, InProcessAHangingSendIsAbandonedAndItsEventDeadLetteredAfterThreeTimeouts) {
    start_host(workspace("    isolation: in-process\n    call_timeout: 500ms\n", true), plugin_dir());
    send_events();
    ASSERT_TRUE(eventually([&] { return received_seqs() == all(false) && mock_seqs() == all() && dead_letters().size() == 1; },
                           std::chrono::seconds(60)))
        << host_->log();
    const std::vector<json> letters = dead_letters();
    EXPECT_EQ(letters[0]["destination"], "e2e/chaos");
    EXPECT_EQ(letters[0]["event"]["event"], kPoison);
    EXPECT_EQ(letters[0]["reason"],
              "abort: the plugin did not return within 500 ms sending (in-process); the worker was abandoned (3 times)");
    EXPECT_FALSE(host_->ended().has_value()) << host_->log();
    EXPECT_EQ(host_->client()->Get("/readyz")->status, 200);
    const json chaos = status_of("e2e/chaos");
    ASSERT_TRUE(chaos["degraded"].is_string()) << chaos.dump();
    EXPECT_NE(chaos["degraded"].get<std::string>().find("3 worker thread(s) stuck in the plugin"), std::string::npos)
        << chaos.dump();
    EXPECT_TRUE(status_of("e2e/iterable")["degraded"].is_null());
    EXPECT_EQ(plugin_calls_running(), 3);  // the abandoned ones, stuck for good
}

struct Isolation {
    const char *name;
    const char *keys;  // cppcheck-suppress unusedStructMember ; the chaos destination's containment keys
};
void PrintTo(const Isolation &isolation, std::ostream *out) { *out << isolation.name; }

class EachIsolation : public CallDeadline, public ::testing::WithParamInterface<Isolation> {};

TEST_P(EachIsolation, SigtermEndsTheHostOnTimeDuringAHungSendAndARestartDeliversEverything) {
    start_host(workspace(GetParam().keys, true), plugin_dir(), {"--shutdown-timeout", "2s"});
    send_events();
    // The Iterable destination is done and the only plugin call still running is chaos's hung send.
    ASSERT_TRUE(eventually([&] { return mock_seqs() == all() && plugin_calls_running() == 1; })) << host_->log();

    const auto signalled = std::chrono::steady_clock::now();
    const int exit_code = host_->terminate();
    const auto took = std::chrono::steady_clock::now() - signalled;
    EXPECT_LT(took, std::chrono::milliseconds(3500)) << host_->log();
    EXPECT_EQ(exit_code, 1) << host_->log();
    EXPECT_NE(host_->log().find("Shutdown did not finish in time: 1 plugin call(s) still running"), std::string::npos)
        << host_->log();

    start_host(workspace(GetParam().keys, false), plugin_dir());
    ASSERT_TRUE(eventually([&] { return received_seqs() == all() && mock_seqs() == all(); })) << host_->log();
    EXPECT_TRUE(dead_letters().empty());
}

INSTANTIATE_TEST_SUITE_P(CallDeadline, EachIsolation,
                         ::testing::Values(Isolation{"process", "    call_timeout: 5m\n"},
                                           Isolation{"in_process", "    isolation: in-process\n    call_timeout: 5m\n"}),
                         [](const ::testing::TestParamInfo<Isolation> &info) { return std::string(info.param.name); });

}  // namespace
}  // namespace switchyard::testing
