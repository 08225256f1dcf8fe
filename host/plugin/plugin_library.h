// Loading destination plugins: one shared object, checked against the ABI, or a whole directory.
#pragma once

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "host/plugin/message_types.h"
#include "host/plugin/settings_schema.h"
#include "switchyard/plugin.h"

namespace switchyard {

// A loaded, checked plugin library. Immutable; shared by every instance made from it,
// so the library stays mapped until the last instance and result are gone.
class PluginLibrary {
   public:
    PluginLibrary(std::filesystem::path path, boost::dll::shared_library library, const sy_plugin &table,
                  std::filesystem::path loaded_from = {});
    PluginLibrary(const PluginLibrary &) = delete;
    PluginLibrary &operator=(const PluginLibrary &) = delete;

    const std::filesystem::path &path() const { return path_; }
    // The file the library was loaded from: path() or the host's private copy of it. A plugin
    // worker loads the same file (host/isolation/).
    const std::filesystem::path &loaded_from() const { return loaded_from_.empty() ? path_ : loaded_from_; }
    const std::string &name() const { return name_; }
    const std::string &version() const { return version_; }
    const std::string &settings_schema() const { return settings_schema_; }
    // The settings schema, compiled once for every destination of this plugin. Why it is unusable
    // ("" when it is not): the loader refuses such a plugin, so a loaded one always has a real schema.
    const SettingsSchema &schema() const { return schema_; }
    const std::string &schema_refusal() const { return schema_refusal_; }
    uint32_t abi_major() const { return table_.abi_major; }
    uint32_t abi_minor() const { return table_.abi_minor; }
    // The plugin's table, copied into a zeroed host-sized struct (unknown tail fields read 0).
    const sy_plugin &table() const { return table_; }
    const MessageTypes &message_types() const { return message_types_; }
    // The most events one request may carry (the table's 0 reads as 1).
    uint32_t max_events_per_request() const { return std::max<uint32_t>(table_.max_events_per_request, 1); }

   private:
    std::filesystem::path path_;
    std::filesystem::path loaded_from_;
    boost::dll::shared_library library_;
    sy_plugin table_;
    std::string name_, version_, settings_schema_;
    std::string schema_refusal_;
    SettingsSchema schema_;
    MessageTypes message_types_;
};

// A 2.0 table must hold every field up to and including `release`.
inline constexpr size_t kMinPluginTableSize = offsetof(sy_plugin, release) + sizeof(sy_plugin::release);

// Why the loader refuses a table (another ABI version, a required hook missing, an empty name);
// empty when it does not. `t` is the host-sized copy of at least kMinPluginTableSize bytes.
std::string table_refusal(const sy_plugin &t);

struct LoadOutcome {
    std::shared_ptr<const PluginLibrary> plugin;  // set on success
    std::string refusal;                          // one sentence naming the file, on failure
};

// Loads and checks one file: first that it is trusted (plugin_trust.h), then its ELF headers,
// then its table. Never throws; a bad file yields a refusal, not a crash. When `file` is a
// private copy, `named_as` is the operator's file: refusals and path() name it.
LoadOutcome load_plugin(const std::filesystem::path &file, const std::filesystem::path &named_as = {});

struct DirectoryLoad {
    std::vector<std::shared_ptr<const PluginLibrary>> plugins;  // sorted by file name
    std::vector<std::string> refusals;                          // one sentence each
};

// Loads every *.so in `dir` (not recursing) with `load` (default: load_plugin), refusing
// duplicates by name, and everything when `dir` is not trusted (plugin_trust.h). Never throws.
using PluginLoader = std::function<LoadOutcome(const std::filesystem::path &file)>;
DirectoryLoad load_plugin_directory(const std::filesystem::path &dir, const PluginLoader &load = {});

}  // namespace switchyard
