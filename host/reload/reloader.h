// Hot reload: builds a complete new routing snapshot from the plugin and config directories as
// they are now, and puts it in force in one step, or leaves the running one untouched.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/metrics/metrics.h"
#include "host/reload/plugin_registry.h"
#include "host/routing/snapshot.h"

namespace switchyard {

struct ReloadOutcome {
    std::string trigger;  // "inotify", "SIGHUP", "admin"
    int64_t at_ms = 0;    // wall clock
    enum class Result { applied, unchanged, failed } result = Result::failed;
    uint64_t generation = 0;  // the generation in force afterwards
    std::string error;        // why it failed: every problem, "; "-separated
};

std::string_view result_name(ReloadOutcome::Result result);

class Reloader {
   public:
    // Puts a snapshot in force (the router's and the ingestion API's view).
    using Apply = std::function<void(const std::shared_ptr<const Snapshot> &)>;
    // Jobs waiting in the store, per destination key (to tell the operator what was kept).
    using PendingJobs = std::function<std::map<std::string, uint64_t>()>;

    // With `workers`, destinations with `isolation: process` run in plugin workers; without (tests),
    // every instance runs in this process.
    Reloader(PluginRegistry &plugins, std::filesystem::path config_dir, Metrics &metrics,
             WorkerPools *workers = nullptr);

    // The first load, at start: refused plugin files are logged and skipped; any configuration
    // problem is returned and nothing is in force.
    std::vector<std::string> load_first();

    // Called once the host can deliver; later reloads go through `apply`.
    void connect(Apply apply, PendingJobs pending_jobs);

    // Validates everything first; on any problem the running snapshot stays, one sentence is
    // logged and the failure counted. Serialised: concurrent triggers run one after the other.
    ReloadOutcome reload(const std::string &trigger);

    std::shared_ptr<const Snapshot> snapshot() const;
    std::optional<ReloadOutcome> last_reload() const;

   private:
    ReloadOutcome fail(ReloadOutcome outcome, const std::vector<std::string> &problems);
    void report_changes(const std::string &trigger, const Snapshot &before, const Snapshot &after,
                        const std::vector<LoadedPlugin> &plugins_before, const std::vector<LoadedPlugin> &plugins_after);
    void record(const ReloadOutcome &outcome);

    PluginRegistry &plugins_;
    const std::filesystem::path config_dir_;
    Metrics &metrics_;
    WorkerPools *workers_;
    Apply apply_;
    PendingJobs pending_jobs_;
    std::mutex reload_mutex_;  // one reload at a time
    mutable std::mutex state_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::optional<ReloadOutcome> last_;
};

}  // namespace switchyard
