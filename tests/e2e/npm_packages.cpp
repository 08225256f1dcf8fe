// npm installs and commands of the end-to-end tests.
#include "tests/e2e/npm_packages.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace switchyard::testing {
namespace {

// Written into node_modules after a successful `npm ci`: the lock file it installed.
constexpr const char *kInstalledLock = "node_modules/.switchyard-installed-lock.json";

// Tests that share an install directory run as separate processes, possibly at once (ctest -j):
// one installing (npm ci first deletes node_modules) while another serves pages from it loses the
// other's run. Held for the whole check-copy-install.
class InstallLock {
   public:
    explicit InstallLock(const std::filesystem::path &dir)
        : fd_(::open((dir / ".switchyard-install.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644)) {
        if (fd_ >= 0) ::flock(fd_, LOCK_EX);
    }
    ~InstallLock() {
        if (fd_ >= 0) ::close(fd_);  // releases the lock
    }
    InstallLock(const InstallLock &) = delete;
    InstallLock &operator=(const InstallLock &) = delete;

   private:
    int fd_;
};

}  // namespace

std::optional<std::filesystem::path> find_on_path(const std::string &name) {
    const char *path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    }
    return std::nullopt;
}

std::string shell_quoted(const std::string &text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string read_text(const std::filesystem::path &path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

CommandResult run_command(const std::string &command) {
    FILE *pipe = ::popen(("(" + command + ") 2>&1").c_str(), "r");
    if (pipe == nullptr) return {-1, "popen failed: " + command};
    std::string output;
    char buffer[4096];
    while (const size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string npm_install(const std::filesystem::path &source, const std::filesystem::path &install_dir,
                        const std::vector<std::string> &files) {
    const std::optional<std::filesystem::path> npm = find_on_path("npm");
    if (!npm) return "npm is not installed (scripts/setup.sh --test-deps installs it)";
    std::filesystem::create_directories(install_dir);
    const InstallLock lock_held(install_dir);
    for (const std::string &file : files)  // only when changed: another test may be serving it
        if (read_text(source / file) != read_text(install_dir / file))
            std::filesystem::copy_file(source / file, install_dir / file, std::filesystem::copy_options::overwrite_existing);
    const std::string lock = read_text(source / "package-lock.json");
    if (read_text(install_dir / kInstalledLock) == lock) return "";
    // Optional dependencies (the Node SDK's bull, for Redis persistence) are not used by the tests.
    const CommandResult install =
        run_command("cd " + shell_quoted(install_dir) + " && " + shell_quoted(*npm) + " ci --omit=optional --no-audit --no-fund");
    if (install.status != 0) return "npm ci in " + install_dir.string() + " failed:\n" + install.output;
    std::ofstream(install_dir / kInstalledLock) << lock;
    return "";
}

}  // namespace switchyard::testing
