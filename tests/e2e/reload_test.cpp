// Hot reload under load: while events stream in, the Iterable plugin is replaced 20 times (two
// builds, copied in place and renamed into place), its settings are changed 20 times, and failing
// reloads are injected. Every acknowledged event reaches the mock exactly once, transformed as the
// plugin build and settings in force at the time dictate.
#include <atomic>
#include <iostream>
#include <mutex>
#include <set>

#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kBuilds[] = {fs::path(PLUGIN_DIR) / "iterable.so", fs::path(NEXT_PLUGIN_DIR) / "iterable.so"};
const std::string kVersions[] = {"0.1.0", "0.1.0-next"};  // as each build names itself
constexpr int kPluginSwaps = 20, kSettingsChanges = 20;

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What decides how a page event is delivered: the plugin build, and the mapToSingleEvent setting
// (on: "Loaded a Page"; off: "<name> page", as trackAllPages is on).
struct State {
    int build = 0;
    bool single_event = false;
    bool operator==(const State &) const = default;
};

// A state and when it may have been in force: from the change that led to it until the host
// was seen in the next state.
struct Window {
    State state;
    int64_t from_ms;
    int64_t until_ms = INT64_MAX;
};

// A host on its own plugin directory (holding build 0), delivering to the mock.
class HotReload : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        plugin_dir_ = root_ / "plugins";
        fs::create_directory(plugin_dir_);
        fs::permissions(plugin_dir_, fs::perms::owner_all);
        fs::copy_file(kBuilds[0], plugin_dir_ / "iterable.so");
    }

    // Waits for a reload that started at or after `since_ms` to end with `outcome`; its status.
    json wait_for_reload(int64_t since_ms, const std::string &outcome) {
        json status;
        const bool seen = eventually(
            [&] {
                status = json::parse(get("/admin/status"), nullptr, false);
                const json last = status.is_object() ? status.value("last_reload", json()) : json();
                return last.is_object() && last["at_ms"] >= since_ms && last["outcome"] == outcome;
            },
            std::chrono::seconds(20));
        EXPECT_TRUE(seen) << "no " << outcome << " reload after " << since_ms << ": " << status.dump() << host_->log();
        return status;
    }

    // Rewrites the workspace file in place, or writes a new one and renames it over the old.
    void write_config(const std::string &text, bool by_rename = false) {
        const fs::path file = root_ / "config" / "e2e.yaml";
        if (!by_rename) {
            std::ofstream(file) << text;
            return;
        }
        std::ofstream(root_ / "config" / "e2e.yaml.new") << text;
        fs::rename(root_ / "config" / "e2e.yaml.new", file);
    }

    MockIterable mock_{MockOptions{{kApiKey}, false, {}}};  // no rate limits: pacing is not under test
    fs::path plugin_dir_;
};

class ReloadUnderLoad : public HotReload {
   protected:
    void SetUp() override {
        HotReload::SetUp();
        start_host(yaml(State{}), plugin_dir_);
        windows_.push_back({State{}, 0});
    }

    std::string yaml(const State &state, const std::string &data_center = "USDC") {
        return workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(),
                                                                 "      trackAllPages: true\n      mapToSingleEvent: " +
                                                                     std::string(state.single_event ? "true" : "false") +
                                                                     "\n      dataCenter: " + data_center + "\n"));
    }

    // Page events, one per request every few milliseconds, until stopped.
    void stream() {
        for (int seq = 0; !stop_; ++seq) {
            const int64_t posted = wall_clock_ms();
            const auto start = std::chrono::steady_clock::now();
            const int status = post("page", {{"userId", "u" + std::to_string(seq % 7)},
                                             {"name", "Home"},
                                             {"properties", {{"seq", seq}}}});
            const auto took = std::chrono::steady_clock::now() - start;
            std::lock_guard lock(mutex_);
            posted_ms_.push_back(posted);
            acked_.push_back(status == 200);
            longest_ack_ = std::max(longest_ack_, took);
            std::this_thread::sleep_for(std::chrono::milliseconds(4));
        }
    }

    // Changes the destination to `next` through `change`, waits until the host runs it.
    void move_to(const State &next, const std::function<void()> &change) {
        const int64_t since = wall_clock_ms();
        change();
        const json status = wait_for_reload(since, "applied");
        windows_.back().until_ms = wall_clock_ms();
        windows_.push_back({next, since});
        ASSERT_EQ(status["destinations"].size(), 1u) << status.dump();
        EXPECT_EQ(status["destinations"][0]["plugin_version"], kVersions[next.build]) << status.dump();
    }

    // A change that must fail and leave everything running as it was; then undoing it.
    void inject_failure(const std::function<void()> &break_it, const std::function<void()> &repair) {
        const uint64_t generation = json::parse(get("/admin/status"))["config_generation"];
        int64_t since = wall_clock_ms();
        break_it();
        const json status = wait_for_reload(since, "failed");
        EXPECT_EQ(status["config_generation"], generation);
        since = wall_clock_ms();
        repair();
        wait_for_reload(since, "unchanged");
    }

    void copy_in_place(int build) { fs::copy_file(kBuilds[build], plugin_dir_ / "iterable.so", fs::copy_options::overwrite_existing); }
    void rename_into_place(int build) {
        fs::copy_file(kBuilds[build], plugin_dir_ / "iterable.so.partial", fs::copy_options::overwrite_existing);
        fs::rename(plugin_dir_ / "iterable.so.partial", plugin_dir_ / "iterable.so");
    }

    // Whether `observed` was in force at some moment between the event's POST and its arrival.
    bool consistent(const State &observed, int64_t posted_ms, int64_t received_ms) const {
        for (const Window &w : windows_)
            if (w.state == observed && w.from_ms <= received_ms && w.until_ms >= posted_ms) return true;
        return false;
    }

    std::vector<Window> windows_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<int64_t> posted_ms_;  // by seq
    std::vector<bool> acked_;         // by seq
    std::chrono::steady_clock::duration longest_ack_{};
};

TEST_F(ReloadUnderLoad, EveryEventArrivesAsTheStateInForceDictates) {
    std::thread client([this] { stream(); });
    State state;
    for (int change = 0; change < kPluginSwaps + kSettingsChanges && !HasFatalFailure(); ++change) {
        const bool by_rename = change % 4 >= 2;
        if (change % 2 == 0) {
            state.build = 1 - state.build;
            move_to(state, [&] { by_rename ? rename_into_place(state.build) : copy_in_place(state.build); });
        } else {
            state.single_event = !state.single_event;
            move_to(state, [&] { write_config(yaml(state), by_rename); });
        }
        if (change % 8 == 3) {  // a plugin file that fails the load checks (half of a build)
            inject_failure(
                [&] {
                    fs::copy_file(kBuilds[0], plugin_dir_ / "broken.so");
                    fs::resize_file(plugin_dir_ / "broken.so", fs::file_size(kBuilds[0]) / 2);
                },
                [&] { fs::remove(plugin_dir_ / "broken.so"); });
        }
        if (change % 8 == 7) {  // settings the plugin's init refuses
            inject_failure([&] { write_config(yaml(state, "MARS")); }, [&] { write_config(yaml(state)); });
        }
    }
    stop_ = true;
    client.join();
    ASSERT_FALSE(HasFatalFailure());

    size_t acked = 0;
    for (bool a : acked_) acked += a;
    ASSERT_GT(acked, 1000u) << "the stream was too thin to prove anything";
    const auto all_delivered = [&] {
        std::set<int> seqs;
        for (int seq : recorded_seqs(mock_)) seqs.insert(seq);
        for (size_t seq = 0; seq < acked_.size(); ++seq)
            if (acked_[seq] && seqs.count(static_cast<int>(seq)) == 0) return false;
        return true;
    };
    ASSERT_TRUE(eventually(all_delivered, std::chrono::seconds(60))) << host_->log();

    std::map<int, int> deliveries;
    const json state_recorded = mock_.state();
    for (const json &request : state_recorded["requests"]) {
        const std::string agent = request.value("user_agent", "");
        const int build = agent == "Switchyard-Iterable/" + kVersions[1] ? 1 : 0;
        ASSERT_EQ(agent, "Switchyard-Iterable/" + kVersions[build]);
        const json &body = request["body"];
        for (const json &event : body.contains("events") ? body["events"] : json::array({body})) {
            const int seq = event["dataFields"]["seq"];
            ++deliveries[seq];
            const State observed{build, event["eventName"] == "Loaded a Page"};
            EXPECT_EQ(event["eventName"], observed.single_event ? "Loaded a Page" : "Home page");
            EXPECT_TRUE(consistent(observed, posted_ms_.at(seq), request["received_ms"]))
                << "seq " << seq << " arrived as build " << build << ", single_event " << observed.single_event;
        }
    }
    for (size_t seq = 0; seq < acked_.size(); ++seq) {
        if (!acked_[seq]) continue;  // refused or cut: may arrive or not
        EXPECT_EQ(deliveries[static_cast<int>(seq)], 1) << "seq " << seq;
    }
    const double longest_ms = std::chrono::duration<double, std::milli>(longest_ack_).count();
    RecordProperty("events_acknowledged", static_cast<int>(acked));
    RecordProperty("longest_ack_ms", std::to_string(longest_ms));
    std::cout << "acknowledged " << acked << " events across " << windows_.size() - 1
              << " reloads; longest acknowledgement " << longest_ms << " ms\n";
}

// A plugin file deleted suspends its destinations; a source removed from the config is refused
// at once; a removed destination keeps its jobs. Nothing pending is lost: all of it goes out
// once plugin and destination are back.
// Plugins are loaded in a worker first: a build whose entry segfaults, renamed over the running
// one, is refused with a sentence, and the host goes on delivering with the build it runs.
TEST_F(HotReload, BuildThatCrashesWhileLoadingIsRefusedAndTheRunningOneKeepsDelivering) {
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())), plugin_dir_);
    ASSERT_EQ(post("track", track("u1", 0)), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_, "u1") == std::vector<int>{0}; })) << host_->log();

    const int64_t since = wall_clock_ms();
    fs::copy_file(CRASH_IN_ENTRY_FIXTURE, plugin_dir_ / "iterable.so.partial");
    fs::rename(plugin_dir_ / "iterable.so.partial", plugin_dir_ / "iterable.so");
    const json status = wait_for_reload(since, "failed");
    EXPECT_EQ(status["last_reload"]["error"], (plugin_dir_ / "iterable.so").string() + ": crashed while loading (SIGSEGV)")
        << status.dump();
    EXPECT_EQ(status["destinations"][0]["plugin_version"], kVersions[0]) << status.dump();

    ASSERT_EQ(post("track", track("u1", 1)), 200);
    EXPECT_TRUE(eventually([&] { return recorded_seqs(mock_, "u1") == std::vector<int>{0, 1}; })) << host_->log();
}

TEST_F(HotReload, RemovedPluginsSourcesAndDestinationsLoseNothing) {
    const std::string extra_key = "second-write-key-91b0";
    const auto config = [&](bool with_extra_source, bool with_destination) {
        std::string yaml = "workspace: e2e\nsources:\n  - id: app\n    write_key: " + std::string(kWriteKey) +
                           "\n    destinations: [" + (with_destination ? "iterable" : "") + "]\n";
        if (with_extra_source) yaml += "  - id: extra\n    write_key: " + extra_key + "\n    destinations: [iterable]\n";
        return yaml + (with_destination ? "destinations:\n" + iterable_destination("iterable", mock_.base_url())
                                        : "destinations: []\n");
    };
    mock_.set_faults({.error_rate = 1.0});  // Iterable down: jobs wait in the store
    start_host(config(true, true), plugin_dir_);
    for (int seq = 0; seq < 5; ++seq) ASSERT_EQ(post("track", track("u1", seq)), 200);
    ASSERT_EQ(post("track", track("u2", 5), extra_key), 200);

    int64_t since = wall_clock_ms();
    fs::remove(plugin_dir_ / "iterable.so");
    json status = wait_for_reload(since, "applied");
    ASSERT_EQ(status["suspended"].size(), 1u) << status.dump();
    EXPECT_EQ(status["suspended"][0]["key"], "e2e/iterable");
    EXPECT_NE(host_->log().find("is not in the plugin directory); its 6 pending job(s) stay in the store"),
              std::string::npos)
        << host_->log();
    ASSERT_EQ(post("track", track("u1", 6)), 200);  // still stored for it

    since = wall_clock_ms();
    write_config(config(false, false));
    wait_for_reload(since, "applied");
    EXPECT_EQ(post("track", track("u2", 7), extra_key), 401);
    EXPECT_NE(host_->log().find("was removed from the configuration; its 7 pending job(s) stay in the store"),
              std::string::npos)
        << host_->log();

    mock_.set_faults({});
    since = wall_clock_ms();
    fs::copy_file(kBuilds[0], plugin_dir_ / "iterable.so");
    wait_for_reload(since, "applied");
    EXPECT_TRUE(recorded_seqs(mock_).empty());
    since = wall_clock_ms();
    write_config(config(false, true));
    wait_for_reload(since, "applied");
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 7; })) << host_->log();
    std::vector<int> seqs = recorded_seqs(mock_);
    std::sort(seqs.begin(), seqs.end());
    EXPECT_EQ(seqs, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
}

}  // namespace
}  // namespace switchyard::testing
