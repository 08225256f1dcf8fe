// A host of many workspaces: every instance is made in the plugin workers a batch at a time, each
// one with its own settings, and a reload after one workspace file changed makes that
// workspace's instances again and keeps every other workspace's.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/isolation/worker_pools.h"
#include "host/metrics/metrics.h"
#include "host/reload/plugin_registry.h"
#include "host/reload/reloader.h"
#include "tests/reload/reload_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int kWorkspaces = 100;
constexpr int kDestinationsPerWorkspace = 3;  // 300 instances: several batches per worker
constexpr int kChanged = 42;                  // the workspace whose file the reload finds changed

std::string workspace_name(int n) {
    char name[16];
    std::snprintf(name, sizeof name, "ws%03d", n);
    return name;
}

// Each destination's events/track rate limit is its own (1000 + a number unique on the host), so
// that an instance answered with another's rate limits shows.
double track_rate(int workspace, int destination) { return 1000 + workspace * 10 + destination; }

std::string workspace_yaml(int n, const std::string &api_key) {
    std::string out = "workspace: " + workspace_name(n) + "\nsources:\n  - id: app\n    write_key: many-key-" +
                      std::to_string(n) + "\n    destinations: [d1, d2, d3]\ndestinations:\n";
    for (int d = 1; d <= kDestinationsPerWorkspace; ++d)
        out += "  - id: d" + std::to_string(d) + "\n    plugin: iterable\n    settings:\n      apiKey: " + api_key +
               "\n      endpoint: http://127.0.0.1:9/api/\n      rateLimits: {\"events/track\": " +
               std::to_string(track_rate(n, d)) + "}\n";
    return out;
}

double events_track_rate(const Destination &d) {
    for (const sy_rate_limit &limit : d.rate_limits())
        if (std::string_view(limit.rate_key.ptr, limit.rate_key.len) == "events/track") return limit.requests_per_second;
    return 0;
}

class ManyWorkspacesTest : public ::testing::Test {
   protected:
    void SetUp() override {
        use_the_built_worker();
        install(kIterable, plugins_ / "iterable.so");
        for (int n = 1; n <= kWorkspaces; ++n) write_bytes(file_of(n), workspace_yaml(n, "key-a"));
        registry_ = std::make_unique<PluginRegistry>(plugins_, copies_);
        reloader_ = std::make_unique<Reloader>(*registry_, config_, metrics_, &workers_);
        const std::vector<std::string> problems = reloader_->load_first();
        ASSERT_TRUE(problems.empty()) << problems.front();
        reloader_->connect([](const std::shared_ptr<const Snapshot> &) {},
                           [] { return std::map<std::string, uint64_t>{}; });
    }

    fs::path file_of(int n) const { return config_ / (workspace_name(n) + ".yaml"); }

    ScratchDir root_{"many"};
    const fs::path plugins_ = root_.subdir("plugins"), config_ = root_.subdir("config"), copies_ = root_.path() / "copies";
    Metrics metrics_;
    WorkerPools workers_;
    std::unique_ptr<PluginRegistry> registry_;
    std::unique_ptr<Reloader> reloader_;
};

TEST_F(ManyWorkspacesTest, EveryInstanceIsMadeInAWorkerWithItsOwnSettings) {
    const auto snapshot = reloader_->snapshot();
    ASSERT_EQ(snapshot->destinations.size(), size_t{kWorkspaces * kDestinationsPerWorkspace});
    for (int n = 1; n <= kWorkspaces; ++n)
        for (int d = 1; d <= kDestinationsPerWorkspace; ++d) {
            const std::string key = workspace_name(n) + "/d" + std::to_string(d);
            const Destination &instance = *snapshot->destinations.at(key).instance;
            EXPECT_FALSE(instance.in_this_process()) << key;
            EXPECT_EQ(instance.id(), key);
            EXPECT_EQ(events_track_rate(instance), track_rate(n, d)) << key;
        }
}

TEST_F(ManyWorkspacesTest, ReloadOfOneChangedFileRemakesOnlyThatWorkspacesInstances) {
    const auto before = reloader_->snapshot();
    write_bytes(file_of(kChanged), workspace_yaml(kChanged, "key-b"));
    const ReloadOutcome outcome = reloader_->reload("test");
    ASSERT_EQ(outcome.result, ReloadOutcome::Result::applied) << outcome.error;
    const auto after = reloader_->snapshot();
    ASSERT_EQ(after->destinations.size(), before->destinations.size());
    const std::string changed = workspace_name(kChanged) + "/";
    size_t kept = 0, remade = 0;
    for (const auto &[key, live] : after->destinations) {
        const bool in_changed = key.starts_with(changed);
        const bool same = live.instance == before->destinations.at(key).instance;
        EXPECT_EQ(same, !in_changed) << key;
        kept += same ? 1 : 0;
        remade += same ? 0 : 1;
    }
    EXPECT_EQ(kept, size_t{(kWorkspaces - 1) * kDestinationsPerWorkspace});
    EXPECT_EQ(remade, size_t{kDestinationsPerWorkspace});
    EXPECT_NE(after->destinations.at(changed + "d1").config.settings_json.find("key-b"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::testing
