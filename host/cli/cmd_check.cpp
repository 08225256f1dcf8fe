// `switchyard check`: validates the plugin and config directories offline, listing every problem.
#include <iostream>

#include "host/cli/command.h"
#include "host/cli/probed_inits.h"
#include "host/isolation/load_probe.h"
#include "host/log/log.h"
#include "host/routing/snapshot.h"

namespace switchyard::cli {
namespace {

constexpr Flag kFlags[] = {
    {"config-dir", "DIR", "directory of workspace *.yaml files", "config"},
    kPluginDirFlag,
};

int run_check(const Args &args) {
    const std::filesystem::path config_dir = args.value_or("config-dir", "config");
    const auto plugin_dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    std::vector<std::string> problems;
    const DirectoryLoad plugins = load_plugin_directory_probed(plugin_dir);
    problems.insert(problems.end(), plugins.refusals.begin(), plugins.refusals.end());
    const ConfigLoad config = load_config_dir(config_dir);
    problems.insert(problems.end(), config.problems.begin(), config.problems.end());
    const ProbedInits inits = probe_destination_inits(config.config, plugins.plugins);
    problems.insert(problems.end(), inits.problems.begin(), inits.problems.end());
    const SnapshotBuild snapshot = build_snapshot(inits.safe, plugins.plugins, 0);
    problems.insert(problems.end(), snapshot.problems.begin(), snapshot.problems.end());
    // Loading registered the secrets (write keys, ${...} values, schema-marked settings): a plugin's
    // init error or warning may quote any of them. Warnings do not fail the check.
    for (const std::string &w : snapshot.warnings) std::cout << "warning: " << log::redact(w) << "\n";
    for (const std::string &p : problems) std::cout << "problem: " << log::redact(p) << "\n";
    std::cout << (problems.empty() ? "ok: " : "failed: ") << config.config.files.size() << " workspace file(s), "
              << config.config.sources.size() << " source(s), " << config.config.destinations.size()
              << " destination(s), " << plugins.plugins.size() << " plugin(s); " << problems.size() << " problem(s)\n";
    return problems.empty() ? kExitOk : kExitProblems;
}

}  // namespace

const Command kCheckCommand{"check", "Validate workspace files and plugins offline; list every problem.", kFlags,
                            run_check};

}  // namespace switchyard::cli
