// `switchyard plugins`: loads a plugin directory and lists what loaded and what was refused.
#include <iomanip>
#include <iostream>

#include "host/cli/command.h"
#include "host/plugin/plugin_library.h"

namespace switchyard::cli {
namespace {

const Flag kFlags[] = {
    kPluginDirFlag,
};

std::filesystem::path plugin_dir(const Args &args) {
    auto dir = args.value("plugin-dir");
    return dir ? std::filesystem::path(*dir) : default_plugin_dir();
}

int run_plugins(const Args &args) {
    const DirectoryLoad loaded = load_plugin_directory(plugin_dir(args));
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
