// The reloader puts a whole new routing snapshot in force, or leaves the running one untouched.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "host/metrics/metrics.h"
#include "host/reload/plugin_registry.h"
#include "host/reload/reloader.h"
#include "tests/reload/reload_fixture.h"

namespace switchyard::testing {
namespace {

using Result = ReloadOutcome::Result;

const std::string kOne = "ws/one", kTwo = "ws/two";

// The test workspace: source "app" → one, two; source "batch" → one.
struct Workspace {
    std::string one_settings = "";  // extra indented settings lines of destination "one"
    std::string one_workers = "1";
    std::string two_plugin = "iterable";
    bool with_two = true;
    bool with_batch_source = true;

    std::string yaml() const {
        std::string out = "workspace: ws\nsources:\n  - id: app\n    write_key: reload-key-app\n    destinations: [one" +
                          std::string(with_two ? ", two" : "") + "]\n";
        if (with_batch_source) out += "  - id: batch\n    write_key: reload-key-batch\n    destinations: [one]\n";
        out += "destinations:\n" + destination("one", "iterable", one_settings, one_workers);
        if (with_two) out += destination("two", two_plugin, "", "1");
        return out;
    }

    static std::string destination(const std::string &id, const std::string &plugin, const std::string &settings,
                                   const std::string &workers) {
        return "  - id: " + id + "\n    plugin: " + plugin +
               "\n    settings:\n      apiKey: k\n      endpoint: http://127.0.0.1:9/api/\n" + settings +
               "    delivery:\n      workers: " + workers + "\n";
    }
};

class ReloaderTest : public ::testing::Test {
   protected:
    void SetUp() override {
        use_the_built_worker();
        install(kIterable, plugins_ / "iterable.so");
        write_config(Workspace{});
        registry_ = std::make_unique<PluginRegistry>(plugins_, copies_);
        reloader_ = std::make_unique<Reloader>(*registry_, config_, metrics_);
        const std::vector<std::string> problems = reloader_->load_first();
        ASSERT_TRUE(problems.empty()) << problems.front();
        reloader_->connect([this](const std::shared_ptr<const Snapshot> &s) { applied_.push_back(s); },
                           [] { return std::map<std::string, uint64_t>{{"ws/two", 3}}; });
    }

    void write_config(const Workspace &workspace) { write_bytes(config_file(), workspace.yaml()); }
    fs::path config_file() const { return config_ / "ws.yaml"; }

    ReloadOutcome reload() { return reloader_->reload("test"); }
    std::shared_ptr<const Snapshot> snapshot() const { return reloader_->snapshot(); }
    const Destination *instance(const std::string &key) const {
        return snapshot()->destinations.at(key).instance.get();
    }
    bool metric(const std::string &line) const { return metrics_.render().find(line + "\n") != std::string::npos; }
    static std::string reloads(const char *outcome, int count) {
        return "switchyard_reloads_total{outcome=\"" + std::string(outcome) + "\"} " + std::to_string(count);
    }

    ScratchDir root_;
    const fs::path plugins_ = root_.subdir("plugins"), config_ = root_.subdir("config"), copies_ = root_.path() / "copies";
    Metrics metrics_;
    std::vector<std::shared_ptr<const Snapshot>> applied_;  // what the `apply` callback was given
    std::unique_ptr<PluginRegistry> registry_;
    std::unique_ptr<Reloader> reloader_;
};

TEST_F(ReloaderTest, LoadFirstPutsGenerationOneInForce) {
    auto s = snapshot();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->generation, 1u);
    EXPECT_EQ(s->destinations.size(), 2u);
    EXPECT_TRUE(s->suspended.empty());
    EXPECT_EQ(instance(kOne)->plugin().version(), kVersion);
    ASSERT_EQ(s->sources->size(), 2u);
    EXPECT_EQ(s->sources->at(0).destinations, (std::vector<std::string>{kOne, kTwo}));
    EXPECT_TRUE(metric("switchyard_config_generation 1"));
    EXPECT_FALSE(reloader_->last_reload().has_value());
    EXPECT_TRUE(applied_.empty());  // load_first is not a reload
    EXPECT_EQ(registry_->current().size(), 1u);
}

TEST_F(ReloaderTest, NothingChangedIsUnchanged) {
    const auto before = snapshot();
    write_config(Workspace{});                     // same text, rewritten
    install(kIterable, plugins_ / "iterable.so");  // same bytes, rewritten
    const ReloadOutcome outcome = reload();
    EXPECT_EQ(outcome.result, Result::unchanged) << outcome.error;
    EXPECT_EQ(outcome.generation, 1u);
    EXPECT_EQ(outcome.trigger, "test");
    EXPECT_TRUE(outcome.error.empty());
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(applied_.empty());
    EXPECT_TRUE(metric(reloads("unchanged", 1)));
    EXPECT_TRUE(metric("switchyard_config_generation 1"));
    ASSERT_TRUE(reloader_->last_reload().has_value());
    EXPECT_EQ(reloader_->last_reload()->result, Result::unchanged);
    EXPECT_EQ(files_in(copies_).size(), 1u);
}

TEST_F(ReloaderTest, ChangingOneDestinationsSettingsRecreatesOnlyIt) {
    const auto before = snapshot();
    write_config(Workspace{.one_settings = "      mapToSingleEvent: true\n"});
    const ReloadOutcome outcome = reload();
    ASSERT_EQ(outcome.result, Result::applied) << outcome.error;
    EXPECT_EQ(outcome.generation, 2u);
    EXPECT_EQ(snapshot()->generation, 2u);
    EXPECT_NE(instance(kOne), before->destinations.at(kOne).instance.get());
    EXPECT_EQ(instance(kTwo), before->destinations.at(kTwo).instance.get());
    EXPECT_NE(snapshot()->destinations.at(kOne).config.settings_json.find("mapToSingleEvent"), std::string::npos);
    ASSERT_EQ(applied_.size(), 1u);
    EXPECT_EQ(applied_[0], snapshot());
    EXPECT_TRUE(metric(reloads("applied", 1)));
    EXPECT_TRUE(metric("switchyard_config_generation 2"));
}

TEST_F(ReloaderTest, DeliveryOnlyChangeKeepsTheInstance) {
    const auto before = snapshot();
    write_config(Workspace{.one_workers = "3"});
    ASSERT_EQ(reload().result, Result::applied);
    EXPECT_EQ(instance(kOne), before->destinations.at(kOne).instance.get());
    EXPECT_EQ(snapshot()->destinations.at(kOne).config.delivery.workers, 3u);
}

// cppcheck does not see the members read through GetParam() (unusedStructMember).
struct FailureCase {
    const char *name;
    std::string yaml;      // cppcheck-suppress unusedStructMember
    std::string expected;  // cppcheck-suppress unusedStructMember ; in the error, after the file's path
};

void PrintTo(const FailureCase &c, std::ostream *os) { *os << c.name; }

class ReloadFailure : public ReloaderTest, public ::testing::WithParamInterface<FailureCase> {};

TEST_P(ReloadFailure, KeepsTheRunningSnapshot) {
    const auto before = snapshot();
    const Destination *one = instance(kOne), *two = instance(kTwo);
    write_bytes(config_file(), GetParam().yaml);
    const ReloadOutcome outcome = reload();
    EXPECT_EQ(outcome.result, Result::failed);
    EXPECT_EQ(outcome.generation, 1u);
    EXPECT_NE(outcome.error.find(config_file().string() + ":"), std::string::npos) << outcome.error;
    EXPECT_NE(outcome.error.find(GetParam().expected), std::string::npos) << outcome.error;
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(instance(kOne), one);
    EXPECT_EQ(instance(kTwo), two);
    EXPECT_TRUE(applied_.empty());
    EXPECT_TRUE(metric(reloads("failed", 1))) << metrics_.render();
    EXPECT_TRUE(metric("switchyard_config_generation 1"));
    EXPECT_EQ(reloader_->last_reload()->error, outcome.error);

    // Fixed: the next reload applies generation 2 (the failure consumed no generation).
    write_config(Workspace{.one_settings = "      trackAllPages: true\n"});
    const ReloadOutcome fixed = reload();
    EXPECT_EQ(fixed.result, Result::applied) << fixed.error;
    EXPECT_EQ(fixed.generation, 2u);
    EXPECT_EQ(applied_.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ReloadFailure,
    ::testing::Values(FailureCase{"invalid_yaml", "workspace: ws\nsources: [\n", "invalid YAML"},
                      FailureCase{"unknown_plugin", Workspace{.two_plugin = "nope"}.yaml(),
                                  "destination \"two\": no plugin named \"nope\" (loaded: iterable)"},
                      FailureCase{"settings_refused_by_init", Workspace{.one_settings = "      dataCenter: MARS\n"}.yaml(),
                                  "dataCenter"}),
    [](const ::testing::TestParamInfo<FailureCase> &info) { return std::string(info.param.name); });

// The operator knows iterable.so in the plugin directory, not the private copy the host loaded.
TEST_F(ReloaderTest, InitRefusalNamesThePluginFileNotItsCopy) {
    // Passes the schema (a string), refused by init (plain http to a host that is not loopback).
    write_config(Workspace{.one_settings = "      endpoint: http://example.com/api/\n"});
    const ReloadOutcome outcome = reload();
    ASSERT_EQ(outcome.result, Result::failed);
    EXPECT_EQ(outcome.error.find(copies_.string()), std::string::npos) << outcome.error;
    EXPECT_NE(outcome.error.find("iterable.so: init refused: Setting \"endpoint\" may use plain http only for loopback"),
              std::string::npos)
        << outcome.error;
}

TEST_F(ReloaderTest, RefusedPluginFileFailsTheReload) {
    const auto before = snapshot();
    install(kFixtures / "not_elf.so", plugins_ / "stray.so");
    const ReloadOutcome outcome = reload();
    EXPECT_EQ(outcome.result, Result::failed);
    EXPECT_EQ(outcome.error, (plugins_ / "stray.so").string() + ": not an ELF shared object");
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(applied_.empty());
}

// Loaded in a worker first: the host outlives the new build and keeps the one it runs.
TEST_F(ReloaderTest, BuildWhoseEntryCrashesFailsTheReloadAndTheRunningBuildStays) {
    const auto before = snapshot();
    const Destination *one = instance(kOne);
    install(kCrashInEntry, plugins_ / "iterable.so");
    const ReloadOutcome outcome = reload();
    EXPECT_EQ(outcome.result, Result::failed);
    EXPECT_EQ(outcome.error, (plugins_ / "iterable.so").string() + ": crashed while loading (SIGSEGV)");
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(instance(kOne), one);
    EXPECT_TRUE(applied_.empty());

    install(kIterableNext, plugins_ / "iterable.so");  // the fixed build
    const ReloadOutcome fixed = reload();
    EXPECT_EQ(fixed.result, Result::applied) << fixed.error;
    EXPECT_EQ(instance(kOne)->plugin().version(), kNextVersion);
}

// The hole an adversarial review found: the build a symlink points to, in a directory anyone may
// write, was replaced by another user and loaded on the next reload.
TEST_F(ReloaderTest, PluginReplacedBySymlinkIntoAWorldWritableDirectoryIsRefusedAndTheOldBuildStays) {
    const fs::path open = root_.subdir("open");
    ASSERT_EQ(::chmod(open.c_str(), 0777), 0);
    install(kIterableNext, open / "iterable.so");
    fs::create_symlink(open / "iterable.so", plugins_ / ".iterable.so.tmp");
    fs::rename(plugins_ / ".iterable.so.tmp", plugins_ / "iterable.so");
    const ReloadOutcome outcome = reload();
    EXPECT_EQ(outcome.result, Result::failed);
    EXPECT_EQ(outcome.error, (plugins_ / "iterable.so").string() + ": directory " + open.string() +
                                 " is writable by others (mode 0777)");
    EXPECT_EQ(instance(kOne)->plugin().version(), kVersion);
    EXPECT_EQ(registry_->current().at(0).library->version(), kVersion);
    EXPECT_EQ(files_in(copies_).size(), 1u);
}

TEST_F(ReloaderTest, PluginReplacedInPlaceByAnotherUsersFileIsRefusedAndTheOldBuildStays) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file to uid 65534 (running as uid " << ::geteuid() << ")";
    install(kIterableNext, plugins_ / "iterable.so");
    ASSERT_EQ(::chown((plugins_ / "iterable.so").c_str(), 65534, 65534), 0);
    const ReloadOutcome outcome = reload();
    EXPECT_EQ(outcome.result, Result::failed);
    EXPECT_EQ(outcome.error,
              (plugins_ / "iterable.so").string() + ": file is owned by uid 65534, not root or the host's user");
    EXPECT_EQ(instance(kOne)->plugin().version(), kVersion);
    EXPECT_EQ(registry_->current().at(0).library->version(), kVersion);
    EXPECT_EQ(files_in(copies_).size(), 1u);
}

TEST_F(ReloaderTest, FailedReloadKeepsTheRunningPluginAndDropsTheNewBuild) {
    install(kIterableNext, plugins_ / "iterable.so");
    write_bytes(config_file(), "workspace: [\n");
    ASSERT_EQ(reload().result, Result::failed);
    EXPECT_EQ(instance(kOne)->plugin().version(), kVersion);
    EXPECT_EQ(registry_->current().at(0).library->version(), kVersion);
    EXPECT_EQ(files_in(copies_).size(), 1u);  // the next build's copy went with the failed reload

    write_config(Workspace{});
    ASSERT_EQ(reload().result, Result::applied);
    EXPECT_EQ(instance(kOne)->plugin().version(), kNextVersion);
}

TEST_F(ReloaderTest, ReplacingThePluginRecreatesItsDestinationsWithTheNewBuild) {
    auto before = snapshot();
    install(kIterableNext, plugins_ / ".iterable.so.tmp");
    fs::rename(plugins_ / ".iterable.so.tmp", plugins_ / "iterable.so");
    const ReloadOutcome outcome = reload();
    ASSERT_EQ(outcome.result, Result::applied) << outcome.error;
    EXPECT_EQ(outcome.generation, 2u);
    for (const std::string &key : {kOne, kTwo}) {
        EXPECT_EQ(instance(key)->plugin().version(), kNextVersion) << key;
        EXPECT_NE(instance(key), before->destinations.at(key).instance.get()) << key;
    }
    EXPECT_EQ(registry_->current().at(0).library->version(), kNextVersion);
    EXPECT_EQ(files_in(copies_).size(), 2u);  // the old build runs until its last instance goes
    before.reset();
    EXPECT_EQ(files_in(copies_).size(), 1u);
}

TEST_F(ReloaderTest, RemovingThePluginSuspendsItsDestinationsUntilItIsBack) {
    const auto first = snapshot();
    fs::remove(plugins_ / "iterable.so");
    const ReloadOutcome removed = reload();
    ASSERT_EQ(removed.result, Result::applied) << removed.error;
    EXPECT_TRUE(snapshot()->destinations.empty());
    EXPECT_EQ(snapshot()->suspended.size(), 2u);
    EXPECT_EQ(snapshot()->suspended.count(kOne), 1u);
    EXPECT_EQ(snapshot()->suspended.count(kTwo), 1u);
    EXPECT_EQ(snapshot()->sources->size(), 2u);  // events are still accepted and stored
    EXPECT_TRUE(registry_->current().empty());

    EXPECT_EQ(reload().result, Result::unchanged);  // still gone: nothing new
    // A settings edit while suspended cannot be checked without the plugin: the destination stays
    // suspended, the routing is the same, and the edit is read when the plugin is back.
    write_config(Workspace{.one_settings = "      trackAllPages: true\n"});
    EXPECT_EQ(reload().result, Result::unchanged);
    EXPECT_EQ(snapshot()->suspended.size(), 2u);

    install(kIterable, plugins_ / "iterable.so");
    const ReloadOutcome back = reload();
    ASSERT_EQ(back.result, Result::applied) << back.error;
    EXPECT_TRUE(snapshot()->suspended.empty());
    ASSERT_EQ(snapshot()->destinations.size(), 2u);
    EXPECT_EQ(instance(kOne)->plugin().version(), kVersion);
    EXPECT_NE(instance(kOne), first->destinations.at(kOne).instance.get());
    EXPECT_NE(snapshot()->destinations.at(kOne).config.settings_json.find("trackAllPages"), std::string::npos);
    EXPECT_EQ(snapshot()->generation, 3u);
    EXPECT_EQ(applied_.size(), 2u);
}

TEST_F(ReloaderTest, RemovingASourceDropsItFromTheSourceTable) {
    const auto before = snapshot();
    write_config(Workspace{.with_batch_source = false});
    ASSERT_EQ(reload().result, Result::applied);
    const SourceTable &sources = *snapshot()->sources;
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources[0].source_id, "app");
    EXPECT_TRUE(std::none_of(sources.begin(), sources.end(), [](const IngestSource &s) {
        return s.source_id == "batch" || s.write_key == "reload-key-batch";
    }));
    EXPECT_EQ(instance(kOne), before->destinations.at(kOne).instance.get());
    EXPECT_EQ(instance(kTwo), before->destinations.at(kTwo).instance.get());
}

TEST_F(ReloaderTest, RemovingADestinationDropsItFromTheSnapshot) {
    const auto before = snapshot();
    write_config(Workspace{.with_two = false});
    ASSERT_EQ(reload().result, Result::applied);
    EXPECT_EQ(snapshot()->destinations.count(kTwo), 0u);
    EXPECT_EQ(snapshot()->suspended.count(kTwo), 0u);
    EXPECT_EQ(instance(kOne), before->destinations.at(kOne).instance.get());
    EXPECT_EQ(snapshot()->sources->at(0).destinations, std::vector<std::string>{kOne});
}

TEST_F(ReloaderTest, ApplyRunsOncePerAppliedReloadAndNeverOtherwise) {
    const Workspace gzip{.one_settings = "      gzipRequests: true\n"};
    const struct {
        std::function<void()> change;
        Result expected;
    } steps[] = {
        {[] {}, Result::unchanged},
        {[&] { write_config(gzip); }, Result::applied},
        {[&] { write_config(Workspace{.two_plugin = "nope"}); }, Result::failed},
        {[&] { write_config(gzip); }, Result::unchanged},  // back to what is in force
        {[&] { install(kIterableNext, plugins_ / "iterable.so"); }, Result::applied},
    };
    std::vector<std::shared_ptr<const Snapshot>> in_force;
    for (const auto &step : steps) {
        step.change();
        const ReloadOutcome outcome = reload();
        ASSERT_EQ(outcome.result, step.expected) << outcome.error;
        if (step.expected == Result::applied) in_force.push_back(snapshot());
        ASSERT_EQ(applied_, in_force);
    }
    EXPECT_EQ(applied_[0]->generation, 2u);
    EXPECT_EQ(applied_[1]->generation, 3u);
    EXPECT_TRUE(metric(reloads("applied", 2)));
    EXPECT_TRUE(metric(reloads("unchanged", 2)));
    EXPECT_TRUE(metric(reloads("failed", 1)));
    EXPECT_TRUE(metric("switchyard_config_generation 3"));
}

TEST_F(ReloaderTest, ConcurrentTriggersRunOneAfterTheOther) {
    write_config(Workspace{.one_settings = "      trackNamedPages: true\n"});
    std::vector<ReloadOutcome> outcomes(4);
    std::vector<std::thread> threads;
    for (ReloadOutcome &outcome : outcomes) threads.emplace_back([&] { outcome = reload(); });
    for (std::thread &t : threads) t.join();
    EXPECT_EQ(std::count_if(outcomes.begin(), outcomes.end(), [](const auto &o) { return o.result == Result::applied; }), 1);
    EXPECT_EQ(std::count_if(outcomes.begin(), outcomes.end(), [](const auto &o) { return o.result == Result::unchanged; }),
              3);
    EXPECT_EQ(snapshot()->generation, 2u);
    EXPECT_EQ(applied_.size(), 1u);
}

}  // namespace
}  // namespace switchyard::testing
