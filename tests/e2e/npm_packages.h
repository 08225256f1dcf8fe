// Installing a test's pinned npm packages into the build tree (`npm ci` from its package-lock.json,
// skipped when that lock file is already installed), and running the commands that use them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::testing {

std::optional<std::filesystem::path> find_on_path(const std::string &name);
std::string shell_quoted(const std::string &text);
std::string read_text(const std::filesystem::path &path);

struct CommandResult {
    int status;          // the exit status, -1 when it did not exit
    std::string output;  // stdout and stderr
};
CommandResult run_command(const std::string &command);

// Copies `files` (package.json and package-lock.json among them) from `source` to `install_dir`
// and runs `npm ci` there unless the same lock file was installed already. The registry is
// needed: an empty answer means installed, else the sentence that says what failed.
std::string npm_install(const std::filesystem::path &source, const std::filesystem::path &install_dir,
                        const std::vector<std::string> &files);

}  // namespace switchyard::testing
