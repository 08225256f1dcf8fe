// `switchyard plugins`: loads a plugin directory and lists what loaded and what was refused.
#include <iomanip>
#include <iostream>

#include "host/cli/command.h"
#include "host/cli/plugin_description.h"
#include "host/isolation/load_probe.h"
#include "host/plugin/plugin_library.h"

namespace switchyard::cli {
namespace {

const Flag kFlags[] = {
    kPluginDirFlag,
    {"describe", "NAME", "print one plugin's settings reference instead of the list", ""},
};

std::filesystem::path plugin_dir(const Args &args) {
    auto dir = args.value("plugin-dir");
    return dir ? std::filesystem::path(*dir) : default_plugin_dir();
}

int describe(const DirectoryLoad &loaded, const std::string &name) {
    for (const auto &p : loaded.plugins)
        if (p->name() == name) {
            describe_plugin(std::cout, *p);
            return kExitOk;
        }
    std::cerr << "switchyard: no plugin named \"" << name << "\" loaded from the plugin directory (see `switchyard plugins`)\n";
    return kExitUsage;
}

int run_plugins(const Args &args) {
    const DirectoryLoad loaded = load_plugin_directory_probed(plugin_dir(args));
    if (auto name = args.value("describe")) return describe(loaded, *name);
    std::cout << std::left << std::setw(16) << "NAME" << std::setw(12) << "VERSION" << std::setw(6) << "ABI"
              << "PATH\n";
    for (const auto &p : loaded.plugins)
        std::cout << std::setw(16) << p->name() << std::setw(12) << p->version() << std::setw(6)
                  << (std::to_string(p->abi_major()) + "." + std::to_string(p->abi_minor())) << p->path().string()
                  << "\n";
    for (const std::string &refusal : loaded.refusals) std::cout << "refused: " << refusal << "\n";
    return loaded.refusals.empty() ? kExitOk : kExitProblems;
}

}  // namespace

const Command kPluginsCommand{"plugins", "Load every plugin in a directory; list each one or why it was refused.",
                              kFlags, run_plugins};

}  // namespace switchyard::cli
