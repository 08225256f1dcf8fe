// Reload test helpers: private scratch directories, the two Iterable builds, and files as bytes.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/isolation/worker_executable.h"

namespace switchyard::testing {

namespace fs = std::filesystem;

// The two builds of the Iterable plugin, differing only in the version they name.
inline const fs::path kIterable = fs::path(PLUGIN_DIR) / "iterable.so";
inline const fs::path kIterableNext = fs::path(NEXT_PLUGIN_DIR) / "iterable.so";
inline constexpr const char *kVersion = "0.1.0";
inline constexpr const char *kNextVersion = "0.1.0-next";
inline const fs::path kFixtures = FIXTURE_DIR;  // tests/loader's refused plugins
inline const fs::path kCrashInEntry = CRASH_IN_ENTRY_FIXTURE;  // tests/loader's: its entry dies of SIGSEGV

// Plugins are loaded in a worker first (host/isolation/load_probe.h), which is not beside this
// test binary. For the constructors of fixtures that load plugins.
inline void use_the_built_worker() { set_worker_executable(SWITCHYARD_WORKER_BIN); }

// A directory of mode 0700 under the test temp dir (the loader refuses group-writable ones),
// removed with everything in it.
class ScratchDir {
   public:
    explicit ScratchDir(const std::string &name = "reload") {
        std::string pattern = ::testing::TempDir() + name + "-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir &) = delete;
    ScratchDir &operator=(const ScratchDir &) = delete;

    const fs::path &path() const { return path_; }

    // A subdirectory of mode 0700.
    fs::path subdir(const std::string &name) const {
        fs::create_directory(path_ / name);
        fs::permissions(path_ / name, fs::perms::owner_all);
        return path_ / name;
    }

   private:
    fs::path path_;
};

inline std::string read_bytes(const fs::path &p) {
    std::string bytes(fs::file_size(p), '\0');
    std::ifstream(p, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

// Writes `bytes` as `p` with mode 0644 whatever the umask, so the loader's check passes.
inline void write_bytes(const fs::path &p, const std::string &bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

// Copies `source` to `target` in place (same inode when it exists, as `cp` does), mode 0755.
inline void install(const fs::path &source, const fs::path &target) {
    fs::copy_file(source, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
}

inline std::vector<fs::path> files_in(const fs::path &dir) {
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir)) files.push_back(entry.path());
    return files;
}

// The files under `dir` this process still maps (a library dlclose unloaded is unmapped; a
// deleted file shows with " (deleted)").
inline std::set<std::string> mapped_from(const fs::path &dir) {
    std::ifstream maps("/proc/self/maps");
    const std::string prefix = dir.string() + "/";
    std::set<std::string> files;
    for (std::string line; std::getline(maps, line);)
        if (const size_t at = line.find(prefix); at != std::string::npos) files.insert(line.substr(at));
    return files;
}

}  // namespace switchyard::testing
