// Building a routing snapshot from configuration and loaded plugins.
#include "host/routing/snapshot.h"

#include "host/log/log.h"

namespace switchyard {
namespace {

std::shared_ptr<const PluginLibrary> find_plugin(const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                                                 const std::string &name) {
    for (const auto &p : plugins)
        if (p->name() == name) return p;
    return nullptr;
}

std::string plugin_names(const std::vector<std::shared_ptr<const PluginLibrary>> &plugins) {
    std::string names;
    for (const auto &p : plugins) names += (names.empty() ? "" : ", ") + p->name();
    return names.empty() ? "none" : names;
}

}  // namespace

SnapshotBuild build_snapshot(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                             uint64_t generation) {
    SnapshotBuild build;
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = generation;
    for (const DestinationConfig &d : config.destinations) {
        const std::string where = d.origin.where() + ": destination \"" + d.id + "\": ";
        auto plugin = find_plugin(plugins, d.plugin);
        if (!plugin) {
            build.problems.push_back(where + "no plugin named \"" + d.plugin + "\" (loaded: " + plugin_names(plugins) + ")");
            continue;
        }
        std::string error;
        auto instance = Destination::create(plugin, d.key(), d.settings_json, error);
        if (!instance) {
            build.problems.push_back(where + error);
            continue;
        }
        snapshot->destinations.emplace(d.key(), LiveDestination{d, std::move(instance)});
    }
    auto sources = std::make_shared<SourceTable>();
    for (const SourceConfig &s : config.sources) {
        log::add_secret(s.write_key);
        sources->push_back({s.write_key, s.workspace, s.id, s.destinations});
    }
    snapshot->sources = std::move(sources);
    if (build.problems.empty()) build.snapshot = std::move(snapshot);
    return build;
}

}  // namespace switchyard
