// Where the executables find what is installed with them, without a baked-in prefix (command.h).
#include "host/cli/command.h"

namespace switchyard::cli {
namespace {

std::filesystem::path beside_executable_else_installed(const std::filesystem::path &name) {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return name;
    auto beside = exe.parent_path() / name;
    auto installed = exe.parent_path().parent_path() / "lib" / "switchyard" / name;
    // Errors count as "missing": the build-tree name then shows up in the caller's error.
    if (!std::filesystem::exists(beside, ec) && std::filesystem::exists(installed, ec)) return installed;
    return beside;
}

}  // namespace

std::filesystem::path default_plugin_dir() { return beside_executable_else_installed("plugins"); }

std::filesystem::path companion_executable(std::string_view name) { return beside_executable_else_installed(name); }

}  // namespace switchyard::cli
