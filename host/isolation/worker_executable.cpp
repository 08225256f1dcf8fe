// Finding the plugin worker without a baked-in prefix, like the default plugin directory.
#include "host/isolation/worker_executable.h"

#include <mutex>

namespace switchyard {
namespace {

constexpr const char *kWorkerName = "switchyard-worker";

std::mutex chosen_mutex;
std::filesystem::path chosen;  // set by set_worker_executable

std::filesystem::path found_beside_executable() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return kWorkerName;
    auto beside = exe.parent_path() / kWorkerName;
    auto installed = exe.parent_path().parent_path() / "lib" / "switchyard" / kWorkerName;
    if (!std::filesystem::exists(beside, ec) && std::filesystem::exists(installed, ec)) return installed;
    return beside;
}

}  // namespace

std::filesystem::path worker_executable() {
    std::lock_guard lock(chosen_mutex);
    if (chosen.empty()) chosen = found_beside_executable();
    return chosen;
}

void set_worker_executable(std::filesystem::path executable) {
    std::lock_guard lock(chosen_mutex);
    chosen = std::move(executable);
}

}  // namespace switchyard
