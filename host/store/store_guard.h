// Notices when the store's database file is pulled away while the host runs: deleted, replaced
// by another file (a different inode), or made unwritable. SQLite keeps writing to the file it
// has open, so without this the host would go on acknowledging events that a restart loses.
// While the file is not the one opened, or not writable, healthy() is false: ingestion answers
// 503 and /readyz turns 503, while delivery goes on from the connections still open.
// Destroy it after the store has closed: when the file was deleted or replaced, it removes the
// -wal and -shm files SQLite left at the path, which a later start would replay into whatever
// database is there then.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace switchyard {

class StoreGuard {
   public:
    // The look every `period` runs on a small thread of its own. Call right after the store has
    // opened `database_file`: the file there now is the one to watch. Throws std::runtime_error
    // when there is none.
    explicit StoreGuard(std::filesystem::path database_file,
                        std::chrono::milliseconds period = std::chrono::milliseconds(250));
    ~StoreGuard();
    StoreGuard(const StoreGuard &) = delete;
    StoreGuard &operator=(const StoreGuard &) = delete;

    bool healthy() const { return healthy_.load(std::memory_order_relaxed); }

   private:
    void run();
    // What happened to the file ("deleted", "replaced by another file", ...); nullopt when fine.
    std::optional<std::string> trouble() const;
    // The path no longer names the file opened: it was deleted or replaced.
    bool file_lost() const;
    void look();

    const std::filesystem::path file_;
    const std::chrono::milliseconds period_;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    std::atomic<bool> healthy_{true};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard
