// The plugins the running host uses, each loaded from a private copy of a file in the plugin
// directory: overwriting or deleting the original never touches code the host has mapped.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/plugin/plugin_library.h"

namespace switchyard {

struct LoadedPlugin {
    std::filesystem::path file;  // the operator's file in the plugin directory
    std::filesystem::path copy;  // the private copy the library was loaded from, deleted on unload
    std::string sha256;          // of the bytes that were loaded
    std::shared_ptr<const PluginLibrary> library;
};

struct PluginScan {
    std::vector<LoadedPlugin> plugins;  // sorted by file name
    std::vector<std::string> refusals;  // one sentence each, naming the operator's file
};

std::vector<std::shared_ptr<const PluginLibrary>> libraries_of(const std::vector<LoadedPlugin> &plugins);

class PluginRegistry {
   public:
    // `copy_dir` is created (mode 0700) and emptied: copies left by an earlier run go.
    PluginRegistry(std::filesystem::path plugin_dir, std::filesystem::path copy_dir);

    // Loads the plugin directory as it is now. A file with unchanged content keeps its loaded
    // library; a new or changed one is copied, hashed, checked and loaded from the copy. Changes
    // nothing in force until `adopt`. Never throws. Not for concurrent use (reloads are serial).
    PluginScan scan();

    // Makes `plugins` the current set, once the snapshot built from them is live. A library no
    // longer listed is unloaded, and its copy deleted, when its last instance is gone.
    void adopt(std::vector<LoadedPlugin> plugins);
    std::vector<LoadedPlugin> current() const;

   private:
    LoadedPlugin load(const std::filesystem::path &file, std::string &refusal);
    std::optional<LoadedPlugin> current_with(const std::filesystem::path &file, const std::string &sha256) const;

    const std::filesystem::path plugin_dir_;
    const std::filesystem::path copy_dir_;
    uint64_t copies_made_ = 0;  // numbers the copies: each load is a distinct file for dlopen
    mutable std::mutex mutex_;  // guards current_ (status readers run on other threads)
    std::vector<LoadedPlugin> current_;
};

}  // namespace switchyard
