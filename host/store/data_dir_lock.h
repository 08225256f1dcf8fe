// One writer per store: `serve` holds an exclusive lock on its data directory for as long as it
// runs, so a second host on the same directory cannot deliver the same jobs again. The
// dead-letter commands take no lock: their short SQLite transactions are safe beside the host.
#pragma once

#include <filesystem>

namespace switchyard {

class DataDirLock {
   public:
    // Creates the directory when missing and takes an flock on `<data_dir>/lock`, writing this
    // process's PID into it. Throws std::runtime_error, a sentence naming the holder's PID, when
    // another process holds the lock. The file stays after release: removing it would let a
    // starting host lock a file another one has just opened.
    explicit DataDirLock(const std::filesystem::path &data_dir);
    ~DataDirLock();
    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

    // The lock file's name in the data directory.
    static constexpr const char *kFileName = "lock";

   private:
    int fd_ = -1;
};

}  // namespace switchyard
