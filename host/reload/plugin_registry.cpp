#include "host/reload/plugin_registry.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "host/reload/file_hash.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;

// The library, unloaded first and its private copy deleted after, when the last user lets go.
std::shared_ptr<const PluginLibrary> deleting_copy_on_unload(std::shared_ptr<const PluginLibrary> library,
                                                             fs::path copy) {
    const PluginLibrary *raw = library.get();
    return {raw, [library = std::move(library), copy = std::move(copy)](const PluginLibrary *) mutable {
                library.reset();
                std::error_code ec;
                fs::remove(copy, ec);
            }};
}

std::vector<fs::path> plugin_files(const fs::path &dir) {
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

std::vector<std::shared_ptr<const PluginLibrary>> libraries_of(const std::vector<LoadedPlugin> &plugins) {
    std::vector<std::shared_ptr<const PluginLibrary>> libraries;
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

PluginScan PluginRegistry::scan() {
    PluginScan out;
    try {
        if (std::string why = writable_by_others(plugin_dir_); !why.empty()) {
            out.refusals.push_back(why);
            return out;
        }
        std::set<std::string> names;
        for (const fs::path &file : plugin_files(plugin_dir_)) {
            std::string refusal;
            LoadedPlugin loaded = load(file, refusal);
            if (!loaded.library)
                out.refusals.push_back(refusal);
            else if (!names.insert(loaded.library->name()).second)
                out.refusals.push_back(file.string() + ": plugin name \"" + loaded.library->name() +
                                       "\" is already taken by another file");
            else
                out.plugins.push_back(std::move(loaded));
        }
    } catch (const std::exception &e) {
        out.refusals.push_back(plugin_dir_.string() + ": cannot read plugin directory (" + e.what() + ")");
    }
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
