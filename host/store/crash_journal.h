// The store's side of the crash journal (the router's: host/router/crash_journal.h): which jobs
// are in a plugin call inside the host process right now, in a small SQLite file of the host's own. It must survive a
// crash of the process only, so its commits are not fsynced and never wait for the store's.
// Both stores keep theirs here; each applies the strikes to its own jobs.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "host/store/sqlite.h"

namespace switchyard {

// A job in flight during this many crashes is dead-lettered: the first may have been a batch-mate's.
inline constexpr int64_t kCrashStrikesToDeadLetter = 2;
inline constexpr std::string_view kCrashedTwice =
    "plugin crashed the host twice while this event was in flight (in-process; consider isolation: process)";

class CrashJournal {
   public:
    explicit CrashJournal(const std::filesystem::path &file);

    int64_t begin(std::string_view destination, std::span<const int64_t> job_ids);
    void end(int64_t entry);
    // The jobs of every entry a crash left behind.
    std::vector<int64_t> jobs_in_calls();
    // After their strikes are durable: a crash in between strikes them twice, loses none.
    void clear();

   private:
    std::mutex mutex_;
    sqlite::Connection connection_;
    std::unique_ptr<sqlite::Statement> insert_entry_;  // prepared once the table exists
    std::unique_ptr<sqlite::Statement> delete_entry_;
};

// The one crash suspect of the host claimed and not yet settled: a suspect goes out alone, so a
// second crash blames it and nothing else.
class SuspectLane {
   public:
    bool take(int64_t job_id) {
        int64_t none = 0;
        return in_flight_.compare_exchange_strong(none, job_id);
    }
    void settled(int64_t job_id) { in_flight_.compare_exchange_strong(job_id, 0); }

   private:
    std::atomic<int64_t> in_flight_{0};
};

}  // namespace switchyard
