// A plugin that crashes the host in-process on one event (the chaos plugin's crashOn, abortOn or
// sendCrashOn): restarted as systemd would, the host dies at most twice, then dead-letters that
// event with the reason, delivers every other event to both destinations, and stays up.
#include <signal.h>

#include <algorithm>
#include <set>

#include "tests/e2e/chaos_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr int kEvents = 30;
constexpr int kPoisonSeq = 13;
constexpr int kCrashesAtMost = 2;  // one with its batch, one alone
constexpr const char *kPoison = "Boom";
constexpr const char *kReason =
    "plugin crashed the host twice while this event was in flight (in-process; consider isolation: process)";

// A way of crashing the host: the chaos setting naming the poison event, and the signal it ends in.
struct HostCrash {
    const char *setting;
    int signal;  // cppcheck-suppress unusedStructMember ; GetParam().signal
};
void PrintTo(const HostCrash &crash, std::ostream *out) { *out << crash.setting; }

class InProcessCrash : public ChaosBesideIterable, public ::testing::WithParamInterface<HostCrash> {
   protected:
    std::string workspace() const {
        return chaos_workspace("    isolation: in-process\n", "      " + std::string(GetParam().setting) + ": " + kPoison + "\n");
    }
    bool poison_dead_lettered() { return get("/metrics").find("switchyard_dead_letters{destination=\"e2e/chaos\"} 1") != std::string::npos; }
};

TEST_P(InProcessCrash, ThePoisonEventIsDeadLetteredAfterTwoCrashesAndEverythingElseDelivered) {
    start_host(workspace(), plugin_dir());
    json batch = {{"batch", json::array()}};
    std::set<int> innocent, everything;
    for (int seq = 0; seq < kEvents; ++seq) {
        batch["batch"].push_back(track("user" + std::to_string(seq % 4), seq, seq == kPoisonSeq ? kPoison : "Loaded"));
        everything.insert(seq);
        if (seq != kPoisonSeq) innocent.insert(seq);
    }
    // One commit holds them all before any delivery: the crash may cut the answer, not the events.
    const int status = post("batch", batch);
    ASSERT_TRUE(status == 200 || status == 0) << status;

    int crashes = 0;
    auto done = [&] {
        const std::vector<int> at_mock = recorded_seqs(mock_);
        return received_seqs() == innocent && std::set<int>(at_mock.begin(), at_mock.end()) == everything &&
               poison_dead_lettered();
    };
    for (;;) {
        std::optional<int> ended;
        const bool delivered = eventually([&] { return (ended = host_->ended()).has_value() || done(); });
        if (!ended) {
            ASSERT_TRUE(delivered) << "after " << crashes << " crash(es)\n" << host_->log();
            break;
        }
        ASSERT_EQ(*ended, GetParam().signal) << host_->log();
        ASSERT_LT(++crashes, kCrashesAtMost + 1) << host_->log();
        host_->start();  // as systemd's Restart=on-failure would
    }
    EXPECT_EQ(crashes, kCrashesAtMost);
    EXPECT_NE(host_->log().find("e2e/chaos: 0 event(s) suspected, now delivered one at a time, 1 dead-lettered"),
              std::string::npos)
        << host_->log();

    const CliRun letters = run_command(std::string(SWITCHYARD_BIN) + " dead-letter list --data-dir " + data_dir().string());
    ASSERT_EQ(letters.exit_code, 0) << letters.output;
    const json letter = json::parse(letters.output.substr(0, letters.output.find('\n')));
    EXPECT_EQ(letter["destination"], "e2e/chaos");
    EXPECT_EQ(letter["reason"], kReason);
    EXPECT_EQ(letter["event"]["event"], kPoison) << letters.output;
    EXPECT_EQ(std::count(letters.output.begin(), letters.output.end(), '\n'), 1) << letters.output;

    EXPECT_EQ(get("/healthz"), "ok\n");
    EXPECT_FALSE(host_->ended().has_value());
}

// In transform (the batch is in flight), and in send (the request carries the poison and its
// batch-mates, who are then suspects too and go alone).
INSTANTIATE_TEST_SUITE_P(Faults, InProcessCrash,
                         ::testing::Values(HostCrash{"crashOn", SIGSEGV}, HostCrash{"abortOn", SIGABRT},
                                           HostCrash{"sendCrashOn", SIGSEGV}),
                         [](const ::testing::TestParamInfo<HostCrash> &info) { return std::string(info.param.setting); });

}  // namespace
}  // namespace switchyard::testing
