#include "host/reload/plugin_registry.h"

#include <map>

#include "host/reload/file_hash.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;

// The library, unloaded first and its private copy deleted after, when the last user lets go.
std::shared_ptr<const PluginLibrary> deleting_copy_on_unload(std::shared_ptr<const PluginLibrary> library,
                                                             fs::path copy) {
    const PluginLibrary *raw = library.get();
    // cppcheck-suppress cstyleCast ; `(const PluginLibrary *)` below is the deleter's parameter list, not a cast
    return {raw, [library = std::move(library), copy = std::move(copy)](const PluginLibrary *) mutable {
                library.reset();
                std::error_code ec;
                fs::remove(copy, ec);
            }};
}

}  // namespace

std::vector<std::shared_ptr<const PluginLibrary>> libraries_of(const std::vector<LoadedPlugin> &plugins) {
    std::vector<std::shared_ptr<const PluginLibrary>> libraries;
    libraries.reserve(plugins.size());
    for (const LoadedPlugin &p : plugins) libraries.push_back(p.library);
    return libraries;
}

PluginRegistry::PluginRegistry(fs::path plugin_dir, fs::path copy_dir)
    : plugin_dir_(std::move(plugin_dir)), copy_dir_(std::move(copy_dir)) {
    std::error_code ec;
    fs::remove_all(copy_dir_, ec);
    fs::create_directories(copy_dir_);
    fs::permissions(copy_dir_, fs::perms::owner_all);
}

// The directory walk, its checks and name clashes are load_plugin_directory's; this adds the
// private copy and the hash of each file.
PluginScan PluginRegistry::scan() {
    std::map<const PluginLibrary *, LoadedPlugin> loaded;
    DirectoryLoad directory = load_plugin_directory(plugin_dir_, [&](const fs::path &file) {
        std::string refusal;
        LoadedPlugin plugin = load(file, refusal);
        if (!plugin.library) return LoadOutcome{nullptr, refusal};
        loaded.emplace(plugin.library.get(), plugin);
        return LoadOutcome{plugin.library, {}};
    });
    PluginScan out{{}, std::move(directory.refusals)};
    for (const auto &library : directory.plugins) out.plugins.push_back(loaded.at(library.get()));
    return out;
}

// Copies first and hashes the copy: the bytes checked and loaded are exactly the bytes hashed,
// whatever happens to the original meanwhile (a copy in progress fails the ELF checks).
LoadedPlugin PluginRegistry::load(const fs::path &file, std::string &refusal) {
    try {
        if (refusal = writable_by_others(file); !refusal.empty()) return {};
        const fs::path copy = copy_dir_ / (std::to_string(++copies_made_) + "-" + file.filename().string());
        fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
        fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_exec);
        const std::string sha256 = sha256_of_file(copy);
        if (std::optional<LoadedPlugin> same = current_with(file, sha256)) {
            fs::remove(copy);
            return *same;
        }
        // NOLINTNEXTLINE(readability-suspicious-call-argument): loads the private copy, named as the operator's file
        LoadOutcome loaded = load_plugin(copy, file);
        if (!loaded.plugin) {
            fs::remove(copy);
            refusal = loaded.refusal;
            return {};
        }
        return {file, copy, sha256, deleting_copy_on_unload(std::move(loaded.plugin), copy)};
    } catch (const std::exception &e) {
        refusal = file.string() + ": could not be copied for loading (" + e.what() + ")";
        return {};
    }
}

std::optional<LoadedPlugin> PluginRegistry::current_with(const fs::path &file, const std::string &sha256) const {
    std::lock_guard lock(mutex_);
    for (const LoadedPlugin &p : current_)
        if (p.file == file && p.sha256 == sha256) return p;
    return std::nullopt;
}

void PluginRegistry::adopt(std::vector<LoadedPlugin> plugins) {
    std::lock_guard lock(mutex_);
    current_ = std::move(plugins);
}

std::vector<LoadedPlugin> PluginRegistry::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace switchyard
