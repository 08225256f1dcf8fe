// The store of several hosts: PostgreSQL, shared by every host of a cluster (docs/scale-out.md).
//
// Connections, each behind its own mutex:
//  - the writer: the group-commit thread's transactions (appends and settlements of many callers
//    together, one commit for all) and the operator's writes (replay, purge, regulations);
//  - the reader: claims, due times, queue and dead-letter views;
//  - the partition leases' own (partition_leases.h), which also LISTENs for other hosts' jobs.
// A host claims only jobs of the partitions it leases; a commit that added jobs NOTIFYs the
// other hosts (when there are any) so that the owner of their partitions wakes at once.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "host/store/crash_journal.h"
#include "host/store/group_commit.h"
#include "host/store/partition_leases.h"
#include "host/store/postgres.h"
#include "host/store/postgres_schema.h"
#include "host/store/queue_depth.h"
#include "host/store/store.h"

namespace switchyard {

class PostgresStore final : public Store {
   public:
    PostgresStore(const PostgresStoreOptions &options, const std::string &shown);
    ~PostgresStore() override;

    void on_jobs_added(JobsAdded listener) override;
    void append(std::span<const IncomingEvent> events, int64_t now_ms) override;
    std::vector<Job> claim(std::string_view destination, size_t limit, int64_t now_ms,
                           const std::function<bool(std::string_view user_key)> &user_busy) override;
    void settle(std::span<const JobSettlement> settlements, int64_t now_ms) override;
    std::optional<int64_t> next_due_ms(std::string_view destination) override;
    // Also moves with every heartbeat: the router's once-a-second look then finds what another
    // host committed even when its notification was lost.
    uint64_t data_version() override { return data_version_.load() + (leases_ ? leases_->heartbeats() : 0); }
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
    std::optional<PartitionShare> partition_share() override;
    bool coordinates() override;

   private:
    void write_pending(std::span<const PendingWrite *const> writes);
    void write_appends(std::span<const PendingWrite *const> writes, DepthChanges &depth);
    void write_settlements(std::span<const PendingWrite *const> writes, DepthChanges &depth);
    void remove_jobs(std::span<const int64_t> job_ids, DepthChanges &depth);
    void bury_jobs(std::span<const int64_t> job_ids, std::span<const std::string> reasons, int64_t now_ms);
    void write_depth(const DepthChanges &depth);
    void tell_other_hosts(const DepthChanges &depth);
    std::vector<int64_t> dead_letters_to_replay(std::string_view destination, std::span<const int64_t> ids);
    std::vector<int> claimable_partitions() const;
    void wake_for(std::string_view destinations);
    void tell_listener(std::span<const std::string_view> destinations);
    std::vector<Job> with_payloads(std::vector<Job> jobs, const std::vector<int64_t> &event_ids);  // under reader_mutex_
    void track_claimed(const std::vector<Job> &jobs);
    void untrack_settled(std::span<const JobSettlement> settlements);
    size_t jobs_in_flight(int partition);

    const int depth_slot_;  // this host's rows of queue_depth
    std::mutex writer_mutex_;
    pg::Connection writer_;
    std::mutex reader_mutex_;
    pg::Connection reader_;
    std::unique_ptr<CrashJournal> journal_;  // a host's; a command delivers nothing
    SuspectLane suspect_lane_;
    // Set after the lease thread has started, which may call it: hence the mutex.
    std::mutex listener_mutex_;
    JobsAdded jobs_added_;
    // Counts this store's commits, other hosts' notifications and partitions taken.
    std::atomic<uint64_t> data_version_{0};
    // Jobs claimed and not settled yet, with their partitions: a partition is handed to another
    // host only once none of its jobs is in flight here.
    std::mutex in_flight_mutex_;
    std::unordered_map<int64_t, int> in_flight_;
    std::array<size_t, pg::kPartitions> in_flight_per_partition_{};
    std::unique_ptr<PartitionLeases> leases_;  // null for a store that only looks (dead-letter commands)
    // Last member: its destructor commits what is queued while the connections still exist.
    std::optional<GroupCommit> group_commit_;
};

}  // namespace switchyard
