// The watch on the store's database file: one stat and one access() per look.
#include "host/store/store_guard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "host/log/log.h"
#include "host/store/lost_database.h"

namespace switchyard {
namespace {

constexpr std::string_view kComponent = "store";

}  // namespace

StoreGuard::StoreGuard(std::filesystem::path database_file, std::chrono::milliseconds period)
    : file_(std::move(database_file)), period_(period) {
    struct stat opened {};
    if (::stat(file_.c_str(), &opened) != 0)
        throw std::runtime_error("Store " + file_.string() + ": cannot watch it: " + std::generic_category().message(errno) + ".");
    device_ = opened.st_dev;
    inode_ = opened.st_ino;
    thread_ = std::thread([this] { run(); });
}

StoreGuard::~StoreGuard() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    if (!file_lost()) return;
    remove_lost_database_journal(file_);
    log::warn(kComponent, "Removed the -wal and -shm files of the lost store " + file_.string() +
                              ", so that no later start replays them into another database.");
}

void StoreGuard::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) look();
}

// Logs only the changes, so a file gone for hours makes one line, not one per look.
void StoreGuard::look() {
    const std::optional<std::string> now = trouble();
    if (now && healthy_.exchange(false))
        log::error(kComponent, "Store " + file_.string() + " was " + *now +
                                   " while the host runs: new events are refused (503) until it is back; the backlog "
                                   "still open keeps being delivered, and what is left of it is lost when the host stops.");
    if (!now && !healthy_.exchange(true))
        log::info(kComponent, "Store " + file_.string() + " is back; accepting events again.");
}

std::optional<std::string> StoreGuard::trouble() const {
    struct stat current {};
    if (::stat(file_.c_str(), &current) != 0)
        return errno == ENOENT ? std::string("deleted") : "made unreachable (" + std::generic_category().message(errno) + ")";
    if (current.st_dev != device_ || current.st_ino != inode_) return "replaced by another file";
    if (::access(file_.c_str(), W_OK) != 0) return "made unwritable (" + std::generic_category().message(errno) + ")";
    return std::nullopt;
}

bool StoreGuard::file_lost() const {
    struct stat current {};
    if (::stat(file_.c_str(), &current) != 0) return errno == ENOENT;
    return current.st_dev != device_ || current.st_ino != inode_;
}

}  // namespace switchyard
