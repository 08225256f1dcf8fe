// The embedded durable store: SQLite in WAL mode, in <data dir>/switchyard.db.
//
// Threading: two connections, each behind its own mutex.
//  - The writer connection writes everything: the group-commit thread's transactions (appends
//    and settlements of many callers together, one fsync for all) and replay(). Sharing one
//    connection under a mutex hands the write lock over directly, where two writer connections
//    would poll each other through SQLite's busy handler (sleeps of 1 ms and more).
//  - The reader connection serves claim(), queue_stats() and dead_letters(). In WAL mode a
//    reader never waits for a writer, so claims go on while a commit is being fsynced.
//  - The crash journal (crash_journal.h) is a database of its own, switchyard.crash-journal.db
//    beside it.
// The other two use synchronous=FULL. In-flight jobs are otherwise not recorded: the router
// keeps its busy users in memory, and after a restart every pending job is claimable again.
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include "host/store/crash_journal.h"
#include "host/store/group_commit.h"
#include "host/store/queue_depth.h"
#include "host/store/sqlite.h"
#include "host/store/store.h"

namespace switchyard {

class SqliteStore final : public Store {
   public:
    explicit SqliteStore(const std::filesystem::path &file);
    ~SqliteStore() override;

    void on_jobs_added(JobsAdded listener) override { jobs_added_ = std::move(listener); }
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
    int64_t add_regulation(std::string_view record, int64_t now_ms) override;
    std::vector<StoredRegulation> regulations() override;
    void update_regulation(int64_t id, std::string_view record) override;
    size_t purge_user_jobs(std::string_view destination, std::string_view user_key) override;
    size_t purge_user_dead_letters(std::string_view destination, std::string_view user_key) override;
    int64_t begin_plugin_call(std::string_view destination, std::span<const int64_t> job_ids) override;
    void end_plugin_call(int64_t entry) override;
    std::vector<CrashSuspects> blame_crashed_plugin_calls(int64_t now_ms) override;

   private:
    struct WriterStatements;
    struct ReaderStatements;

    void write_pending(std::span<const PendingWrite *const> writes);
    void write_append(std::span<const IncomingEvent> events, int64_t now_ms, DepthChanges &depth);
    void write_settlements(std::span<const JobSettlement> settlements, int64_t now_ms, DepthChanges &depth);
    void remove_job(int64_t job_id, DepthChanges &depth);
    std::vector<int64_t> dead_letters_to_replay(std::string_view destination, std::span<const int64_t> ids);
    void strike(sqlite::Statement &add_strike, int64_t job_id, int64_t now_ms, DepthChanges &depth, std::map<std::string, CrashSuspects> &blamed);

    std::mutex writer_mutex_;
    sqlite::Connection writer_;
    std::unique_ptr<WriterStatements> write_;
    std::mutex reader_mutex_;
    sqlite::Connection reader_;
    std::unique_ptr<ReaderStatements> read_;
    CrashJournal journal_;
    SuspectLane suspect_lane_;
    JobsAdded jobs_added_;
    // Last member: its destructor commits what is queued while the connections still exist.
    std::optional<GroupCommit> group_commit_;
};

}  // namespace switchyard
