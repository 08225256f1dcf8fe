// `switchyard verify`: asks each configured destination's plugin whether its credentials work and
// the destination answers (the plugin's verify hook), one line per destination.
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
    {"destination", "KEY", "only this destination (<workspace>/<id>)", "every destination"},
    kPluginDirFlag,
};

// "ok KEY", "skip KEY: why" or "FAIL KEY: why"; whether it failed.
bool print_verdict(const std::string &key, const Destination &destination) {
    const Verification verdict = destination.verify();
    if (!verdict.checked) {
        std::cout << "skip " << key << ": plugin " << destination.plugin().name() << " has no verify hook\n";
        return false;
    }
    if (verdict.outcome == SY_OK) {
        std::cout << "ok " << key << "\n";
        return false;
    }
    std::cout << "FAIL " << key << ": " << log::redact(verdict.message) << "\n";
    return true;
}

int run_verify(const Args &args) {
    const auto plugin_dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    const DirectoryLoad plugins = load_plugin_directory_probed(plugin_dir);
    const ConfigLoad config = load_config_dir(args.value_or("config-dir", "config"));
    std::vector<std::string> problems = config.problems;
    const ProbedInits inits = probe_destination_inits(config.config, plugins.plugins);
    problems.insert(problems.end(), inits.problems.begin(), inits.problems.end());
    const SnapshotBuild snapshot = build_snapshot(inits.safe, plugins.plugins, 0);
    problems.insert(problems.end(), snapshot.problems.begin(), snapshot.problems.end());
    for (const std::string &p : problems) std::cout << "problem: " << log::redact(p) << "\n";
    if (!snapshot.snapshot || !inits.problems.empty()) return kExitProblems;
    const std::optional<std::string> only = args.value("destination");
    if (only && !snapshot.snapshot->destinations.contains(*only)) {
        std::cerr << "switchyard verify: no destination \"" << *only << "\" (expected <workspace>/<id>)\n";
        return kExitUsage;
    }
    bool failed = false;
    for (const auto &[key, live] : snapshot.snapshot->destinations)
        if (!only || key == *only) failed = print_verdict(key, *live.instance) || failed;
    return failed ? kExitProblems : kExitOk;
}

}  // namespace

const Command kVerifyCommand{"verify",
                             "Check each destination's credentials and reachability; print ok or why not.",
                             kFlags, run_verify};

}  // namespace switchyard::cli
