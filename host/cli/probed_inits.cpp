// Trying destinations' inits in plugin workers first (probed_inits.h).
#include "host/cli/probed_inits.h"

#include <algorithm>
#include <map>
#include <set>

#include "host/isolation/load_probe.h"
#include "host/routing/connection_settings.h"
#include "host/routing/destination_settings.h"

namespace switchyard::cli {
namespace {

// One init to try: whose settings they are, and what they are.
struct Trial {
    std::string destination_key;  // cppcheck-suppress unusedStructMember
    std::string source_id;  // cppcheck-suppress unusedStructMember ; "" for the destination's own settings, else the source whose override it is
    std::string where;      // cppcheck-suppress unusedStructMember ; "<file>:<line>: destination \"<id>\": "
    std::string settings_json;
};

const PluginLibrary *plugin_named(const std::vector<std::shared_ptr<const PluginLibrary>> &plugins,
                                  const std::string &name) {
    const auto found = std::find_if(plugins.begin(), plugins.end(), [&](const auto &p) { return p->name() == name; });
    return found == plugins.end() ? nullptr : found->get();
}

// The trials of each plugin.
std::map<const PluginLibrary *, std::vector<Trial>> trials_of(
    const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins) {
    std::map<const PluginLibrary *, std::vector<Trial>> out;
    auto add = [&](const DestinationConfig &d, const std::string &key, const std::string &source_id) {
        const PluginLibrary *plugin = plugin_named(plugins, d.plugin);
        if (plugin == nullptr) return;
        DestinationSettings settings = check_destination_settings(d, *plugin);
        if (!settings.problems.empty()) return;
        const std::string where = d.origin.where() + ": " + settings_owner(d) + ": ";
        out[plugin].push_back({key, source_id, where, std::move(settings.completed_json)});
    };
    for (const DestinationConfig &d : config.destinations) add(d, d.key(), "");
    for (const SourceConfig &s : config.sources)
        for (const auto &[destination_key, override_of] : s.overrides) {
            const std::string &key = destination_key;  // a structured binding cannot be captured (clang 14)
            const auto d = std::find_if(config.destinations.begin(), config.destinations.end(),
                                        [&](const DestinationConfig &c) { return c.key() == key; });
            if (d != config.destinations.end()) add(merge_connection_settings(*d, s.id, override_of), key, s.id);
        }
    return out;
}

// The trials whose init did not return, each with its sentence.
std::vector<std::pair<Trial, std::string>> failed_trials(const PluginLibrary &plugin, const std::vector<Trial> &trials) {
    std::vector<std::pair<Trial, std::string>> failed;
    for (size_t next = 0; next < trials.size();) {
        std::vector<std::string> settings;
        for (size_t i = next; i < trials.size(); ++i) settings.push_back(trials[i].settings_json);
        const ProbeOutcome outcome = probe_plugin(plugin.path(), {}, settings);
        if (outcome.refusal.empty()) break;
        const size_t culprit = next + outcome.init_refusals.size();
        if (culprit >= trials.size()) break;  // cannot happen: every init returned
        failed.emplace_back(trials[culprit], outcome.refusal);
        next = culprit + 1;
    }
    return failed;
}

}  // namespace

ProbedInits probe_destination_inits(const Config &config, const std::vector<std::shared_ptr<const PluginLibrary>> &plugins) {
    ProbedInits out{{}, config};
    std::set<std::string> failed_destinations;
    std::set<std::pair<std::string, std::string>> failed_overrides;  // (source id, destination key)
    const auto trials = trials_of(config, plugins);
    for (const auto &plugin : plugins) {  // in file-name order, so the problems come in a stable order
        const auto of_plugin = trials.find(plugin.get());
        if (of_plugin == trials.end()) continue;
        for (const auto &[trial, refusal] : failed_trials(*plugin, of_plugin->second)) {
            out.problems.push_back(trial.where + refusal);
            if (trial.source_id.empty()) failed_destinations.insert(trial.destination_key);
            else failed_overrides.emplace(trial.source_id, trial.destination_key);
        }
    }
    std::erase_if(out.safe.destinations, [&](const DestinationConfig &d) { return failed_destinations.contains(d.key()); });
    for (SourceConfig &s : out.safe.sources)
        std::erase_if(s.overrides, [&](const auto &entry) { return failed_overrides.contains({s.id, entry.first}); });
    return out;
}

}  // namespace switchyard::cli
