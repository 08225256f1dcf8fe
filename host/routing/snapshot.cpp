// Building a routing snapshot from configuration and loaded plugins.
#include "host/routing/snapshot.h"

#include <algorithm>

#include "host/routing/destination_settings.h"
#include "host/routing/secret_settings.h"

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

// The instance `previous` runs for `d`, when its plugin library and settings are unchanged.
std::shared_ptr<Destination> reusable(const Snapshot *previous, const DestinationConfig &d, const PluginLibrary &plugin) {
    if (previous == nullptr) return nullptr;
    auto live = previous->destinations.find(d.key());
    if (live == previous->destinations.end()) return nullptr;
    const bool same = &live->second.instance->plugin() == &plugin && live->second.config.settings_json == d.settings_json;
    return same ? live->second.instance : nullptr;
}

// A destination of `previous` whose plugin has gone from the directory since.
bool plugin_removed(const Snapshot *previous, const DestinationConfig &d) {
    if (previous == nullptr) return false;
    auto live = previous->destinations.find(d.key());
    return (live != previous->destinations.end() && live->second.config.plugin == d.plugin) ||
           previous->suspended.contains(d.key());
}

// Before any init: a plugin may quote or log another destination's key as well as its own.
void register_every_secret_setting(const Config &config,
                                   const std::vector<std::shared_ptr<const PluginLibrary>> &plugins) {
    for (const DestinationConfig &d : config.destinations)
        if (auto plugin = find_plugin(plugins, d.plugin)) register_secret_settings(plugin->settings_schema(), d.settings_json);
}

}  // namespace

SnapshotBuild build_snapshot(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                             uint64_t generation, const Snapshot *previous, Metrics *metrics) {
    SnapshotBuild build;
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = generation;
    register_every_secret_setting(config, plugins);
    std::map<std::string, filtering::DeliveryFilter> filters;  // by destination key; read once per snapshot
    for (const DestinationConfig &d : config.destinations) {
        const std::string where = d.origin.where() + ": destination \"" + d.id + "\": ";
        DestinationFilter filter = read_destination_filter(d);
        build.problems.insert(build.problems.end(), filter.problems.begin(), filter.problems.end());
        filters.emplace(d.key(), std::move(filter.filter));
        auto plugin = find_plugin(plugins, d.plugin);
        if (!plugin && plugin_removed(previous, d)) {
            snapshot->suspended.emplace(d.key(), "plugin \"" + d.plugin + "\" is not in the plugin directory");
            continue;
        }
        if (!plugin) {
            build.problems.push_back(where + "no plugin named \"" + d.plugin + "\" (loaded: " + plugin_names(plugins) + ")");
            continue;
        }
        std::shared_ptr<Destination> instance = reusable(previous, d, *plugin);
        std::string error;
        if (!instance) {
            DestinationSettings settings = check_destination_settings(d, *plugin);
            build.problems.insert(build.problems.end(), settings.problems.begin(), settings.problems.end());
            if (!settings.problems.empty()) continue;
            instance = Destination::create(plugin, d.key(), settings.completed_json, error, metrics);
            if (instance)
                for (const std::string &warning : instance->init_warnings()) build.warnings.push_back(where + warning);
        }
        if (!instance) {
            build.problems.push_back(where + error);
            continue;
        }
        snapshot->destinations.emplace(d.key(), LiveDestination{d, std::move(instance)});
    }
    auto sources = std::make_shared<SourceTable>();
    for (const SourceConfig &s : config.sources) {
        std::vector<filtering::DeliveryFilter> source_filters;
        for (const std::string &key : s.destinations) source_filters.push_back(filters[key]);
        sources->push_back({s.write_key, s.workspace, s.id, s.destinations, s.trusted, std::move(source_filters), s.allowed_origins});
    }
    snapshot->sources = std::move(sources);
    if (build.problems.empty()) build.snapshot = std::move(snapshot);
    return build;
}

bool same_routing(const Snapshot &a, const Snapshot &b) {
    auto same_destination = [](const auto &x, const auto &y) {
        return x.first == y.first && x.second.instance == y.second.instance &&
               x.second.config.delivery == y.second.config.delivery;
    };
    return *a.sources == *b.sources &&
           std::equal(a.destinations.begin(), a.destinations.end(), b.destinations.begin(), b.destinations.end(),
                      same_destination) &&
           a.suspended == b.suspended;
}

}  // namespace switchyard
