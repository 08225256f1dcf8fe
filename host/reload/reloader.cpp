#include "host/reload/reloader.h"

#include <chrono>

#include "host/config/workspace.h"
#include "host/log/log.h"

namespace switchyard {
namespace {

constexpr const char *kReloads = "switchyard_reloads_total";
constexpr const char *kGeneration = "switchyard_config_generation";

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string joined(const std::vector<std::string> &items, const char *separator = ", ") {
    std::string out;
    for (const std::string &item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

const LoadedPlugin *named(const std::vector<LoadedPlugin> &plugins, const std::string &name) {
    for (const LoadedPlugin &p : plugins)
        if (p.library->name() == name) return &p;
    return nullptr;
}

std::string described(const LoadedPlugin &p) {
    return p.library->name() + " " + p.library->version() + " (sha256 " + p.sha256.substr(0, 12) + ")";
}

// "plugin iterable 0.1.0 (sha256 …) → 0.2.0 (sha256 …)", "plugin x removed", ...
std::vector<std::string> plugin_changes(const std::vector<LoadedPlugin> &before, const std::vector<LoadedPlugin> &after) {
    std::vector<std::string> changes;
    for (const LoadedPlugin &p : after) {
        const LoadedPlugin *old = named(before, p.library->name());
        if (old == nullptr) changes.push_back("plugin " + described(p) + " loaded");
        else if (old->library != p.library) changes.push_back("plugin " + described(*old) + " replaced by " + described(p));
    }
    for (const LoadedPlugin &p : before)
        if (named(after, p.library->name()) == nullptr) changes.push_back("plugin " + described(p) + " removed");
    return changes;
}

bool configured(const Snapshot &s, const std::string &key) {
    return s.destinations.contains(key) || s.suspended.contains(key);
}

}  // namespace

std::string_view result_name(ReloadOutcome::Result result) {
    switch (result) {
        case ReloadOutcome::Result::applied: return "applied";
        case ReloadOutcome::Result::unchanged: return "unchanged";
        case ReloadOutcome::Result::failed: return "failed";
    }
    return "failed";
}

Reloader::Reloader(PluginRegistry &plugins, std::filesystem::path config_dir, Metrics &metrics, WorkerPools *workers)
    : plugins_(plugins), config_dir_(std::move(config_dir)), metrics_(metrics), workers_(workers) {
    metrics_.declare(kReloads, Metrics::Type::counter, "Reload attempts, by outcome (applied, unchanged, failed).");
    metrics_.declare(kGeneration, Metrics::Type::gauge, "Generation of the routing snapshot in force.");
}

std::vector<std::string> Reloader::load_first() {
    PluginScan scan = plugins_.scan();
    for (const std::string &refusal : scan.refusals) log::warn("loader", refusal);
    ConfigLoad config = load_config_dir(config_dir_);
    if (!config.problems.empty()) return config.problems;
    SnapshotBuild build = build_snapshot(config.config, libraries_of(scan.plugins), 1, nullptr, &metrics_, workers_);
    if (!build.snapshot) return build.problems;
    plugins_.adopt(std::move(scan.plugins));
    std::lock_guard lock(state_mutex_);
    snapshot_ = build.snapshot;
    metrics_.set(kGeneration, {}, 1);
    return {};
}

void Reloader::connect(Apply apply, PendingJobs pending_jobs) {
    std::lock_guard lock(reload_mutex_);
    apply_ = std::move(apply);
    pending_jobs_ = std::move(pending_jobs);
}

ReloadOutcome Reloader::reload(const std::string &trigger) {
    std::lock_guard lock(reload_mutex_);
    const std::shared_ptr<const Snapshot> running = snapshot();
    ReloadOutcome outcome{trigger, wall_clock_ms(), ReloadOutcome::Result::failed, running->generation, {}};
    // Everything is loaded and validated before anything changes.
    PluginScan scan = plugins_.scan();
    if (!scan.refusals.empty()) return fail(outcome, scan.refusals);
    ConfigLoad config = load_config_dir(config_dir_);
    if (!config.problems.empty()) return fail(outcome, config.problems);
    SnapshotBuild build = build_snapshot(config.config, libraries_of(scan.plugins), running->generation + 1, running.get(),
                                         &metrics_, workers_);
    if (!build.snapshot) return fail(outcome, build.problems);

    const std::vector<LoadedPlugin> plugins_before = plugins_.current();
    if (same_routing(*running, *build.snapshot) && plugin_changes(plugins_before, scan.plugins).empty()) {
        outcome.result = ReloadOutcome::Result::unchanged;
        log::info("reload", "Reload (" + trigger + "): nothing changed; generation " +
                                std::to_string(running->generation) + " stays in force.");
        record(outcome);
        return outcome;
    }
    {
        std::lock_guard state(state_mutex_);
        snapshot_ = build.snapshot;
    }
    if (apply_) apply_(build.snapshot);
    plugins_.adopt(scan.plugins);
    outcome.result = ReloadOutcome::Result::applied;
    outcome.generation = build.snapshot->generation;
    report_changes(trigger, *running, *build.snapshot, plugins_before, scan.plugins);
    record(outcome);
    return outcome;
}

ReloadOutcome Reloader::fail(ReloadOutcome outcome, const std::vector<std::string> &problems) {
    outcome.error = joined(problems, "; ");
    log::error("reload", "Reload (" + outcome.trigger + ") failed; generation " + std::to_string(outcome.generation) +
                             " stays in force: " + outcome.error);
    record(outcome);
    return outcome;
}

void Reloader::report_changes(const std::string &trigger, const Snapshot &before, const Snapshot &after,
                              const std::vector<LoadedPlugin> &plugins_before,
                              const std::vector<LoadedPlugin> &plugins_after) {
    std::vector<std::string> changes = plugin_changes(plugins_before, plugins_after);
    std::vector<std::string> added, recreated, redelivered, connections;
    for (const auto &[key, live] : after.destinations) {
        auto old = before.destinations.find(key);
        if (old == before.destinations.end()) added.push_back(key);
        else if (old->second.instance != live.instance) recreated.push_back(key);
        else if (!(old->second.config.delivery == live.config.delivery)) redelivered.push_back(key);
        for (const auto &[source, connection] : live.connections)
            if (old == before.destinations.end() || old->second.instance_for(source) != connection.instance)
                connections.emplace_back(key).append(" (source ").append(source).append(")");
    }
    if (!added.empty()) changes.push_back("destinations added: " + joined(added));
    if (!recreated.empty()) changes.push_back("destinations recreated: " + joined(recreated));
    if (!redelivered.empty()) changes.push_back("delivery settings changed: " + joined(redelivered));
    if (!connections.empty()) changes.push_back("connections with their own settings built: " + joined(connections));
    if (*before.sources != *after.sources) changes.emplace_back("sources changed");
    log::info("reload", "Reload (" + trigger + ") applied generation " + std::to_string(after.generation) +
                            (changes.empty() ? "." : ": " + joined(changes, "; ") + "."));

    // Destinations that stopped delivering: their jobs are kept, and the operator is told.
    const std::map<std::string, uint64_t> pending = pending_jobs_ ? pending_jobs_() : std::map<std::string, uint64_t>{};
    auto jobs_of = [&](const std::string &key) {
        auto it = pending.find(key);
        return std::to_string(it == pending.end() ? 0 : it->second) + " pending job(s)";
    };
    for (const auto &[key, why] : after.suspended)
        if (!before.suspended.contains(key)) {
            std::string message = "Destination \"";
            message.append(key).append("\" is suspended (").append(why).append("); its ").append(jobs_of(key));
            message += " stay in the store and are delivered once the plugin is back.";
            log::warn("reload", message);
        }
    std::vector<std::string> configured_before;
    for (const auto &[key, live] : before.destinations) configured_before.push_back(key);
    for (const auto &[key, why] : before.suspended) configured_before.push_back(key);
    for (const std::string &key : configured_before)
        if (!configured(after, key))
            log::warn("reload", "Destination \"" + key + "\" was removed from the configuration; its " + jobs_of(key) +
                                    " stay in the store and are delivered if it is configured again.");
}

void Reloader::record(const ReloadOutcome &outcome) {
    metrics_.add(kReloads, {{"outcome", std::string(result_name(outcome.result))}});
    metrics_.set(kGeneration, {}, static_cast<double>(outcome.generation));
    std::lock_guard lock(state_mutex_);
    last_ = outcome;
}

std::shared_ptr<const Snapshot> Reloader::snapshot() const {
    std::lock_guard lock(state_mutex_);
    return snapshot_;
}

std::optional<ReloadOutcome> Reloader::last_reload() const {
    std::lock_guard lock(state_mutex_);
    return last_;
}

}  // namespace switchyard
