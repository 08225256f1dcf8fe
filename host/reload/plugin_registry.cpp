// The plugin registry: private copies of the plugin directory's files, loaded, hashed, and
// unloaded when their last instance goes.
#include "host/reload/plugin_registry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <map>
#include <stdexcept>
#include <system_error>

#include "host/isolation/load_probe.h"
#include "host/plugin/plugin_trust.h"
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

std::runtime_error io_error(const std::string &what, const std::string &name) {
    return std::runtime_error(what + " " + name + " (" + std::generic_category().message(errno) + ")");
}

// Writes the bytes of the open file `from` as a new file `name` in the open directory `dir`,
// mode 0500. O_EXCL | O_NOFOLLOW: never through a name that is already there.
void copy_open_file(int from, int dir, const std::string &name) {
    const OpenFile to(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (to.get() < 0) throw io_error("cannot create", name);
    std::array<char, 1 << 16> chunk;
    for (off_t offset = 0;;) {
        const ssize_t n = ::pread(from, chunk.data(), chunk.size(), offset);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw io_error("cannot read the plugin for", name);
        if (n == 0) break;
        for (ssize_t written = 0; written < n;) {
            const ssize_t w = ::write(to.get(), chunk.data() + written, static_cast<size_t>(n - written));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) throw io_error("cannot write", name);
            written += w;
        }
        offset += n;
    }
    if (::fchmod(to.get(), S_IRUSR | S_IXUSR) != 0) throw io_error("cannot protect", name);
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

// Copies first, from the very descriptor whose file was found trusted, into the trusted copy
// directory, and hashes the copy: the bytes checked and loaded are exactly the bytes hashed,
// whatever happens to the original meanwhile (a copy in progress fails the ELF checks).
LoadedPlugin PluginRegistry::load(const fs::path &file, std::string &refusal) {
    try {
        const TrustedOpen source = open_trusted(file, TrustedKind::file);
        const TrustedOpen copies = open_trusted(copy_dir_, TrustedKind::directory);
        if (const std::string &problem = source.problem.empty() ? copies.problem : source.problem; !problem.empty()) {
            refusal = file.string() + ": " + problem;
            return {};
        }
        const std::string copy_name = std::to_string(++copies_made_) + "-" + file.filename().string();
        const fs::path copy = copy_dir_ / copy_name;
        copy_open_file(source.fd.get(), copies.fd.get(), copy_name);
        const std::string sha256 = sha256_of_file(copy);
        if (std::optional<LoadedPlugin> same = current_with(file, sha256)) {
            fs::remove(copy);
            return *same;
        }
        // Probed in a child first, so that a plugin crashing in its entry or static initialisers
        // is refused and the generation in force stays.
        // NOLINTNEXTLINE(readability-suspicious-call-argument): loads the private copy, named as the operator's file
        LoadOutcome loaded = load_plugin_probed(copy, file);
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
