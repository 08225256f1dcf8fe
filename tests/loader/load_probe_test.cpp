// Loading in a child first (host/isolation/load_probe.h): a plugin whose entry, static
// initialiser or init crashes, or whose entry hangs, is refused with a sentence while this
// process, which never maps it, carries on.
#include <gtest/gtest.h>

#include "host/isolation/load_probe.h"
#include "host/isolation/worker_executable.h"

namespace switchyard {
namespace {

const std::filesystem::path kCrashing = CRASHING_FIXTURE_DIR;
const std::filesystem::path kFixtures = FIXTURE_DIR;

class LoadProbe : public ::testing::Test {
   protected:
    void SetUp() override { set_worker_executable(SWITCHYARD_WORKER_BIN); }
};

TEST_F(LoadProbe, APluginWhoseEntrySegfaultsIsRefusedWithTheSignal) {
    const std::filesystem::path file = kCrashing / "crash_in_entry.so";
    EXPECT_EQ(probe_plugin(file).refusal, file.string() + ": crashed while loading (SIGSEGV)");
    const LoadOutcome loaded = load_plugin_probed(file);
    EXPECT_FALSE(loaded.plugin);
    EXPECT_EQ(loaded.refusal, file.string() + ": crashed while loading (SIGSEGV)");
}

TEST_F(LoadProbe, APluginWhoseStaticInitialiserSegfaultsIsRefusedUnderTheOperatorsName) {
    const LoadOutcome loaded = load_plugin_probed(kCrashing / "crash_in_constructor.so", "plugins/x.so");
    EXPECT_FALSE(loaded.plugin);
    EXPECT_EQ(loaded.refusal, "plugins/x.so: crashed while loading (SIGSEGV)");
}

TEST_F(LoadProbe, APluginThatHangsIsKilledAtTheDeadline) {
    const std::filesystem::path file = HANGING_FIXTURE;
    EXPECT_EQ(probe_plugin(file, {}, {}, std::chrono::milliseconds(300)).refusal,
              file.string() + ": did not finish loading within 300 ms (its plugin worker was killed)");
}

TEST_F(LoadProbe, TheChildsOwnRefusalIsTheLoadersSentence) {
    const std::filesystem::path file = kFixtures / "abi1.so";
    const std::string in_process = load_plugin(file).refusal;
    ASSERT_FALSE(in_process.empty());
    EXPECT_EQ(probe_plugin(file).refusal, in_process);
    EXPECT_EQ(load_plugin_probed(file).refusal, in_process);
}

TEST_F(LoadProbe, AGoodPluginLoadsHereAfterLoadingInTheChild) {
    const LoadOutcome loaded = load_plugin_probed(std::filesystem::path(PLUGIN_DIR) / "template.so");
    ASSERT_TRUE(loaded.plugin) << loaded.refusal;
    EXPECT_EQ(loaded.plugin->name(), "template");
}

TEST_F(LoadProbe, InitIsTriedForEachSettingsDocumentUntilOneCrashes) {
    const ProbeOutcome outcome =
        probe_plugin(kCrashing / "crash_in_init.so", "plugins/c.so", {"{}", "{\n\"crash\":true}", "{}"});
    EXPECT_EQ(outcome.refusal, "plugins/c.so: crashed while initialising (SIGSEGV)");
    EXPECT_EQ(outcome.init_refusals, std::vector<std::string>{""});  // the first made an instance
}

TEST_F(LoadProbe, InitRefusalsComeBackOnePerDocument) {
    const std::filesystem::path file = kFixtures / "init_fails.so";
    const ProbeOutcome outcome = probe_plugin(file, {}, {"{}", "{\"token\":\"\"}"});
    EXPECT_EQ(outcome.refusal, "");
    const std::string refusal = file.string() + ": init refused: Setting \"token\" is required.";
    EXPECT_EQ(outcome.init_refusals, (std::vector<std::string>{refusal, refusal}));
}

}  // namespace
}  // namespace switchyard
