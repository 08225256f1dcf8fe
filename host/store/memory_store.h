// The in-memory store: the Store interface over plain containers, for `switchyard send`, whose
// queue lives as long as the command (nothing on disk, no data directory). Same claim rules as
// the SQLite store (per-user order, busy users, retries holding back a user's later jobs).
//
// Not the SQLite store on ":memory:": that store opens a writer and a reader connection (and a
// crash journal beside the file), and each connection to ":memory:" is a database of its own;
// sharing one through SQLite's shared cache swaps WAL's readers-never-wait for table locks the
// store does not expect. Thread-safe: one mutex, held briefly.
#pragma once

#include <map>
#include <mutex>
#include <vector>

#include "host/store/store.h"

namespace switchyard {

class MemoryStore final : public Store {
   public:
    void on_jobs_added(JobsAdded listener) override { jobs_added_ = std::move(listener); }
    // Job ids count from 1, one per (event, destination) in append order: a caller that appends
    // events for one destination knows each event's job id.
    void append(std::span<const IncomingEvent> events, int64_t now_ms) override;
    std::vector<Job> claim(std::string_view destination, size_t limit, int64_t now_ms,
                           const std::function<bool(std::string_view user_key)> &user_busy) override;
    void settle(std::span<const JobSettlement> settlements, int64_t now_ms) override;
    std::optional<int64_t> next_due_ms(std::string_view destination) override;
    uint64_t data_version() override;
    std::vector<QueueStats> queue_stats() override;
    std::vector<DeadLetter> dead_letters(std::string_view destination, size_t limit) override;
    size_t replay(std::string_view destination, std::span<const int64_t> ids, int64_t now_ms) override;
    size_t purge(const PurgeSelection &selection) override;
    std::map<std::string, uint64_t> dead_letter_counts() override;
    size_t purge_user_jobs(std::string_view destination, std::string_view user_key) override;
    size_t purge_user_dead_letters(std::string_view destination, std::string_view user_key) override;

    // The crash journal outlives a crash of the process; this queue does not, so there is
    // nothing to journal nor to blame.
    int64_t begin_plugin_call(std::string_view, std::span<const int64_t>) override { return 0; }
    void end_plugin_call(int64_t) override {}
    std::vector<CrashSuspects> blame_crashed_plugin_calls(int64_t) override { return {}; }

    int64_t add_regulation(std::string_view record, int64_t now_ms) override;
    std::vector<StoredRegulation> regulations() override;
    void update_regulation(int64_t id, std::string_view record) override;

   private:
    struct Pending {
        Job job;
        int64_t next_attempt_ms = 0;
    };
    struct Dead {
        Job job;
        std::string reason;
        int64_t failed_ms = 0;
    };

    std::mutex mutex_;
    int64_t next_job_id_ = 1;
    uint64_t version_ = 0;  // counts the changes: data_version()
    std::map<int64_t, Pending> pending_;  // by job id: arrival order
    std::map<int64_t, Dead> dead_;        // by job id
    std::vector<StoredRegulation> regulations_;
    JobsAdded jobs_added_;
};

}  // namespace switchyard
