// The subcommands of the `switchyard` executable; each lives in its own cmd_*.cpp.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "host/cli/args.h"

namespace switchyard::cli {

struct Command {
    std::string_view name;  // one word, or two for a group ("dead-letter list")
    std::string_view summary;
    std::span<const Flag> flags;
    int (*run)(const Args &args);
    std::string_view operand = {};  // the one word it takes besides flags, as help names it ("FILE.so"); empty: none
};

extern const Command kPluginsCommand;
extern const Command kVersionCommand;
extern const Command kTransformCommand;
extern const Command kTransformerCommand;
extern const Command kSendCommand;
extern const Command kCheckCommand;
extern const Command kServeCommand;
extern const Command kDeadLetterListCommand;
extern const Command kDeadLetterReplayCommand;
extern const Command kDeadLetterPurgeCommand;
extern const Command kRegulationAddCommand;
extern const Command kRegulationListCommand;
extern const Command kPluginCheckCommand;
extern const Command kVerifyCommand;

// Where `--plugin-dir` points when not given: "plugins" beside the executable, which in a build
// tree is where every built plugin lands; else, when only it exists, "../lib/switchyard/plugins"
// from there, where `cmake --install` and the Debian package put them (no prefix is baked in).
std::filesystem::path default_plugin_dir();

// A program installed with `switchyard`, found by the same rule: beside the executable, else in
// ../lib/switchyard from it.
std::filesystem::path companion_executable(std::string_view name);

// The `--plugin-dir` flag of every command that loads plugins.
inline constexpr Flag kPluginDirFlag{"plugin-dir", "DIR", "directory of plugin *.so files",
                                     "plugins/ beside the executable, else ../lib/switchyard/plugins from it"};

}  // namespace switchyard::cli
