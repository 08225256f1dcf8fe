// The host's connection advice (serve --connections-per-host, --idle-connection-timeout) reaches
// every plugin instance through sy_host_api 2.1: one made in this process, and one made in a
// plugin worker, which gets it on its command line.
#include <gtest/gtest.h>

#include "host/isolation/isolated_destination.h"
#include "host/isolation/worker_executable.h"
#include "host/isolation/worker_pools.h"
#include "host/plugin/connection_advice.h"
#include "host/plugin/destination.h"

namespace switchyard {
namespace {

const std::filesystem::path kAdviceEcho = std::filesystem::path(ADVICE_FIXTURE_DIR) / "advice_echo.so";

// What the instance says it was advised.
std::string advice_of(const Destination &destination) {
    const std::string event = R"({"type":"track"})";
    const sy_borrowed_str events[] = {{event.data(), event.size()}};
    const TransformResult result = destination.transform(events, 1);
    EXPECT_TRUE(result) << result.problem();
    return result && result->errors.size() == 1 ? result->errors[0].message : "";
}

class ConnectionAdviceTest : public ::testing::Test {
   protected:
    void SetUp() override {
        set_worker_executable(SWITCHYARD_WORKER_BIN);
        LoadOutcome loaded = load_plugin(kAdviceEcho);
        ASSERT_NE(loaded.plugin, nullptr) << loaded.refusal;
        plugin = loaded.plugin;
    }
    void TearDown() override { advise_connections({}); }
    std::shared_ptr<const PluginLibrary> plugin;
};

TEST_F(ConnectionAdviceTest, ReachesAnInstanceInThisProcess) {
    advise_connections({7, 1500});
    std::string error;
    const auto destination = Destination::create(plugin, "acme/d", "{}", error);
    ASSERT_NE(destination, nullptr) << error;
    EXPECT_EQ(advice_of(*destination), "per_host=7 idle_ms=1500");
}

TEST_F(ConnectionAdviceTest, ReachesAnInstanceInAPluginWorker) {
    advise_connections({9, 2500});
    WorkerPools pools;
    std::string error;
    const auto destination =
        IsolatedDestination::create(pools.worker_for(plugin, 0), plugin, "acme/d", "{}", CallDeadlines{}, error);
    ASSERT_NE(destination, nullptr) << error;
    EXPECT_EQ(advice_of(*destination), "per_host=9 idle_ms=2500");
}

TEST_F(ConnectionAdviceTest, NoAdviceIsZero) {
    std::string error;
    const auto destination = Destination::create(plugin, "acme/d", "{}", error);
    ASSERT_NE(destination, nullptr) << error;
    EXPECT_EQ(advice_of(*destination), "per_host=0 idle_ms=0");
}

}  // namespace
}  // namespace switchyard
