// Loading a plugin in a plugin worker first (`switchyard-worker --probe`): a plugin whose static
// initialisers, entry or init crash or hang takes down that child, and the host, which has not
// mapped the file yet, gets a sentence instead of dying with it.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "host/plugin/plugin_library.h"

namespace switchyard {

// How long a child may take to load a plugin and initialise it with every settings document;
// then it is killed and the plugin refused.
inline constexpr std::chrono::milliseconds kProbeDeadline = std::chrono::seconds(30);

struct ProbeOutcome {
    // "" when the file loaded in the child (and init returned for every settings document);
    // else one sentence naming the file, e.g. "plugins/x.so: crashed while loading (SIGSEGV)".
    std::string refusal;
    // In order, one per settings document init returned for: "" when it made an instance, else
    // its sentence. Shorter than the documents given when the next one's init crashed or hung.
    std::vector<std::string> init_refusals;
};

// Loads `file` with load_plugin in a child, as this process would (`named_as` as there), then,
// for each of `init_settings` (completed settings JSON), makes and destroys an instance. Never
// throws; waits at most `deadline`.
ProbeOutcome probe_plugin(const std::filesystem::path &file, const std::filesystem::path &named_as = {},
                          const std::vector<std::string> &init_settings = {},
                          std::chrono::milliseconds deadline = kProbeDeadline);

// load_plugin, once the file loaded in a child: a file the child could not load is refused with
// the child's sentence and never mapped here.
LoadOutcome load_plugin_probed(const std::filesystem::path &file, const std::filesystem::path &named_as = {});

// load_plugin_directory with load_plugin_probed.
DirectoryLoad load_plugin_directory_probed(const std::filesystem::path &dir);

}  // namespace switchyard
