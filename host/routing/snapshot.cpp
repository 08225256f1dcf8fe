// Building a routing snapshot from configuration and loaded plugins.
#include "host/routing/snapshot.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "host/filtering/filter_settings.h"
#include "host/routing/connection_settings.h"
#include "host/routing/destination_settings.h"
#include "host/routing/instance_orders.h"
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
    const bool same = &live->second.instance->plugin() == &plugin && live->second.config.settings_json == d.settings_json &&
                      live->second.config.containment == d.containment;
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
    std::map<std::string, const PluginLibrary *> plugin_of;  // by destination key
    for (const DestinationConfig &d : config.destinations)
        if (auto plugin = find_plugin(plugins, d.plugin)) {
            register_secret_settings(plugin->schema(), d.settings_json);
            plugin_of[d.key()] = plugin.get();
        }
    for (const SourceConfig &s : config.sources)
        for (const auto &[key, override_of] : s.overrides)
            if (auto it = plugin_of.find(key); it != plugin_of.end())
                register_secret_settings(it->second->schema(), override_of.settings_json);
}

// Orders a new instance from `d`'s settings into `slot`; false, with their problems added to
// `build`, when the settings have any.
bool order_instance(const DestinationConfig &d, const std::shared_ptr<const PluginLibrary> &plugin, SnapshotBuild &build,
                    std::vector<InstanceOrder> &orders, std::shared_ptr<Destination> &slot) {
    DestinationSettings settings = check_destination_settings(d, *plugin);
    build.problems.insert(build.problems.end(), settings.problems.begin(), settings.problems.end());
    if (!settings.problems.empty()) return false;
    orders.push_back({d, plugin, std::move(settings.completed_json), &slot});
    return true;
}

// What building one snapshot reads, and where it reports.
struct Building {
    // The configuration's destinations by key: a source names thousands of them on a big host.
    const std::map<std::string, const DestinationConfig *, std::less<>> &configured;
    const std::vector<std::shared_ptr<const PluginLibrary>> &plugins;
    const Snapshot *previous;
    SnapshotBuild &build;
    std::vector<InstanceOrder> &orders;  // made together once every one is known
};

bool same_plugin_settings(const std::string &a, const std::string &b) {
    return filtering::without_host_settings(nlohmann::json::parse(a, nullptr, false)) ==
           filtering::without_host_settings(nlohmann::json::parse(b, nullptr, false));
}

// The connection `previous` runs for `merged`, when its plugin library and settings are unchanged.
const LiveConnection *reusable_connection(const Snapshot *previous, const DestinationConfig &merged,
                                          const PluginLibrary &plugin) {
    if (previous == nullptr) return nullptr;
    auto live = previous->destinations.find(merged.key());
    if (live == previous->destinations.end()) return nullptr;
    auto c = live->second.connections.find(merged.source);
    if (c == live->second.connections.end()) return nullptr;
    const bool same = &c->second.instance->plugin() == &plugin && c->second.settings_json == merged.settings_json &&
                      live->second.config.containment == merged.containment;
    return same ? &c->second : nullptr;
}

// The instance a connection's merged settings need, when they differ from the destination's in
// more than the host's own keys: the previous one when nothing changed, else a new one.
void add_connection(const Building &b, LiveDestination &live, const DestinationConfig &merged) {
    if (same_plugin_settings(merged.settings_json, live.config.settings_json)) return;
    const std::shared_ptr<const PluginLibrary> plugin = find_plugin(b.plugins, merged.plugin);
    if (const LiveConnection *old = reusable_connection(b.previous, merged, *plugin)) {
        live.connections.emplace(merged.source, *old);
        return;
    }
    auto connection = live.connections.emplace(merged.source, LiveConnection{merged.settings_json, nullptr}).first;
    order_instance(merged, plugin, b.build, b.orders, connection->second.instance);
}

// Each destination of `s` with its filter; a connection with an override gets its own.
IngestSource ingest_source(const Building &b, const SourceConfig &s,
                           const std::map<std::string, filtering::DeliveryFilter> &filters, Snapshot &snapshot) {
    IngestSource source{s.write_key, s.workspace, s.id, s.destinations, s.trusted, {}, s.allowed_origins};
    for (const std::string &key : s.destinations) {
        const auto override_of = s.overrides.find(key);
        const auto destination = b.configured.find(key);
        if (override_of == s.overrides.end() || destination == b.configured.end()) {
            const auto filter = filters.find(key);
            source.filters.push_back(filter != filters.end() ? filter->second : filtering::DeliveryFilter{});
            continue;
        }
        const DestinationConfig merged = merge_connection_settings(*destination->second, s.id, override_of->second);
        DestinationFilter filter = read_destination_filter(merged);
        b.build.problems.insert(b.build.problems.end(), filter.problems.begin(), filter.problems.end());
        source.filters.push_back(std::move(filter.filter));
        if (auto live = snapshot.destinations.find(key); live != snapshot.destinations.end())
            add_connection(b, live->second, merged);
    }
    return source;
}

}  // namespace

const std::shared_ptr<Destination> &LiveDestination::instance_for(std::string_view source_id) const {
    auto connection = connections.find(source_id);
    return connection == connections.end() ? instance : connection->second.instance;
}

SnapshotBuild build_snapshot(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                             uint64_t generation, const Snapshot *previous, Metrics *metrics, WorkerPools *workers) {
    SnapshotBuild build;
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->generation = generation;
    register_every_secret_setting(config, plugins);
    std::map<std::string, filtering::DeliveryFilter> filters;  // by destination key; read once per snapshot
    std::map<std::string, const DestinationConfig *, std::less<>> configured;
    std::vector<InstanceOrder> orders;
    for (const DestinationConfig &d : config.destinations) {
        configured.emplace(d.key(), &d);
        DestinationFilter filter = read_destination_filter(d);
        build.problems.insert(build.problems.end(), filter.problems.begin(), filter.problems.end());
        filters.emplace(d.key(), std::move(filter.filter));
        auto plugin = find_plugin(plugins, d.plugin);
        if (!plugin && plugin_removed(previous, d)) {
            snapshot->suspended.emplace(d.key(), "plugin \"" + d.plugin + "\" is not in the plugin directory");
            continue;
        }
        if (!plugin) {
            build.problems.push_back(d.origin.where() + ": destination \"" + d.id + "\": no plugin named \"" + d.plugin +
                                     "\" (loaded: " + plugin_names(plugins) + ")");
            continue;
        }
        const auto live =
            snapshot->destinations.emplace(d.key(), LiveDestination{d, reusable(previous, d, *plugin), {}}).first;
        // Without usable settings there is no destination, and so no connection of a source to it.
        if (!live->second.instance && !order_instance(d, plugin, build, orders, live->second.instance))
            snapshot->destinations.erase(live);
    }
    auto sources = std::make_shared<SourceTable>();
    const Building building{configured, plugins, previous, build, orders};
    for (const SourceConfig &s : config.sources) sources->push_back(ingest_source(building, s, filters, *snapshot));
    make_instances(orders, metrics, workers, build.problems, build.warnings);
    snapshot->sources = std::move(sources);
    if (build.problems.empty()) build.snapshot = std::move(snapshot);
    return build;
}

bool same_routing(const Snapshot &a, const Snapshot &b) {
    auto same_destination = [](const auto &x, const auto &y) {
        const auto same_connection = [](const auto &c, const auto &d) {
            return c.first == d.first && c.second.instance == d.second.instance;
        };
        return x.first == y.first && x.second.instance == y.second.instance &&
               x.second.config.delivery == y.second.config.delivery &&
               std::equal(x.second.connections.begin(), x.second.connections.end(), y.second.connections.begin(),
                          y.second.connections.end(), same_connection);
    };
    return *a.sources == *b.sources &&
           std::equal(a.destinations.begin(), a.destinations.end(), b.destinations.begin(), b.destinations.end(),
                      same_destination) &&
           a.suspended == b.suspended;
}

}  // namespace switchyard
