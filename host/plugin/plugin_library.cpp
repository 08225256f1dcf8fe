// Loads plugin shared objects with Boost.DLL and checks each against the ABI before use.
#include "host/plugin/plugin_library.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "host/plugin/elf_check.h"
#include "host/plugin/plugin_trust.h"
#include "host/plugin/settings_schema.h"

namespace switchyard {
namespace {

// Boost.DLL reports only "bad file descriptor"; the dynamic linker knows why.
std::string dynamic_linker_reason(const std::filesystem::path &file) {
    void *handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) {
        ::dlclose(handle);
        return "unknown reason";
    }
    const char *why = ::dlerror();
    return why != nullptr ? why : "unknown reason";
}

constexpr size_t kMajorCoveredSize = offsetof(sy_plugin, abi_major) + sizeof(sy_plugin::abi_major);

std::string major_refusal(uint32_t major) {
    return "it was built for plugin ABI " + std::to_string(major) + " and this host speaks ABI " +
           std::to_string(SY_ABI_MAJOR) + ": rebuild it against this host's plugin_api headers (see docs/plugin-abi.md)";
}

LoadOutcome refuse(const std::filesystem::path &file, const std::string &why) {
    return {nullptr, file.string() + ": " + why};
}

// `named` is what messages and path() call the file: the operator's file when `file` is a copy.
LoadOutcome load_checked(const std::filesystem::path &file, const std::filesystem::path &named) {
    if (std::string why = elf_problem(file); !why.empty()) return refuse(named, why);
    boost::dll::shared_library library;
    boost::dll::fs::error_code ec;
    library.load(boost::dll::fs::path(file.string()),
                 boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (ec) return refuse(named, "the dynamic linker refused it: " + dynamic_linker_reason(file));
    if (!library.has(SY_ENTRY_SYMBOL)) return refuse(named, "no entry symbol \"" SY_ENTRY_SYMBOL "\"");
    const sy_plugin *exported = library.get<const sy_plugin *()>(SY_ENTRY_SYMBOL)();
    if (exported == nullptr) return refuse(named, "entry returned no plugin table");
    // The major first: an ABI 1 table is shorter than 2.0's, and its author needs the sentence
    // about versions, not about sizes.
    if (exported->struct_size >= kMajorCoveredSize && exported->abi_major != SY_ABI_MAJOR)
        return refuse(named, major_refusal(exported->abi_major));
    if (exported->struct_size < kMinPluginTableSize)
        return refuse(named, "plugin table is " + std::to_string(exported->struct_size) + " bytes, ABI " +
                                 std::to_string(SY_ABI_MAJOR) + ".0 needs at least " +
                                 std::to_string(kMinPluginTableSize));
    sy_plugin table{};
    std::memcpy(&table, exported, std::min<size_t>(exported->struct_size, sizeof table));
    if (std::string why = table_refusal(table); !why.empty()) return refuse(named, why);
    auto plugin = std::make_shared<PluginLibrary>(named, std::move(library), table, file);
    if (!plugin->schema_refusal().empty()) return refuse(named, plugin->schema_refusal());
    return {std::move(plugin), {}};
}

}  // namespace

std::string table_refusal(const sy_plugin &t) {
    if (t.abi_major != SY_ABI_MAJOR) return major_refusal(t.abi_major);
    const std::string major = std::to_string(SY_ABI_MAJOR) + ".";
    if (t.abi_minor > SY_ABI_MINOR)
        return "built for ABI " + major + std::to_string(t.abi_minor) + ", this host speaks " + major +
               std::to_string(SY_ABI_MINOR) + " (upgrade the host)";
    const std::pair<bool, const char *> required[] = {
        {t.init != nullptr, "init"},     {t.destroy != nullptr, "destroy"}, {t.transform != nullptr, "transform"},
        {t.send != nullptr, "send"},     {t.release != nullptr, "release"},
    };
    for (const auto &[present, hook] : required)
        if (!present) return std::string("required hook \"") + hook + "\" is missing";
    if (t.name == nullptr || t.name[0] == '\0') return "plugin name is empty";
    return {};
}

namespace {

// The schema `text` compiled, or, when it is unusable (`refusal` says why), one that takes any
// settings, so that a PluginLibrary always has a schema.
SettingsSchema compiled_schema(const std::string &text, std::string &refusal) {
    if (std::optional<SettingsSchema> schema = SettingsSchema::parse(text, refusal)) return std::move(*schema);
    std::string ignored;
    return std::move(*SettingsSchema::parse("{}", ignored));
}

}  // namespace

PluginLibrary::PluginLibrary(std::filesystem::path path, boost::dll::shared_library library, const sy_plugin &table,
                             std::filesystem::path loaded_from)
    : path_(std::move(path)),
      loaded_from_(std::move(loaded_from)),
      library_(std::move(library)),
      table_(table),
      name_(table.name),
      version_(table.version != nullptr ? table.version : ""),
      settings_schema_(table.settings_schema != nullptr ? table.settings_schema : "{}"),
      schema_(compiled_schema(settings_schema_, schema_refusal_)),
      message_types_(table.message_types) {}

LoadOutcome load_plugin(const std::filesystem::path &file, const std::filesystem::path &named_as) {
    const std::filesystem::path &named = named_as.empty() ? file : named_as;
    try {
        // dlopen takes a path, not the checked descriptor (glibc would take "/proc/self/fd/N" for
        // whichever library last had that name): the real path, whose every directory was just
        // found trusted, so no other user can change what it names.
        const TrustedOpen opened = open_trusted(file, TrustedKind::file);
        if (!opened.problem.empty()) return refuse(named, opened.problem);
        return load_checked(opened.real, named);
    } catch (const std::exception &e) {
        return refuse(named, std::string("could not be loaded: ") + e.what());
    }
}

DirectoryLoad load_plugin_directory(const std::filesystem::path &dir, const PluginLoader &load) {
    DirectoryLoad out;
    try {
        if (const TrustedOpen opened = open_trusted(dir, TrustedKind::directory); !opened.problem.empty()) {
            out.refusals.push_back(dir.string() + ": " + opened.problem);
            return out;
        }
        std::vector<std::filesystem::path> files;
        for (const auto &entry : std::filesystem::directory_iterator(dir))
            if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        std::set<std::string> names;
        for (const auto &file : files) {
            LoadOutcome loaded = load ? load(file) : load_plugin(file);
            if (!loaded.plugin) {
                out.refusals.push_back(loaded.refusal);
            } else if (!names.insert(loaded.plugin->name()).second) {
                out.refusals.push_back(file.string() + ": plugin name \"" + loaded.plugin->name() +
                                       "\" is already taken by another file");
            } else {
                out.plugins.push_back(std::move(loaded.plugin));
            }
        }
    } catch (const std::exception &e) {
        out.refusals.push_back(dir.string() + ": cannot read plugin directory (" + e.what() + ")");
    }
    return out;
}

}  // namespace switchyard
