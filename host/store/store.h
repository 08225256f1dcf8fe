// The durable store: one job per (event, connected destination), kept until delivered or
// dead-lettered. SQLite (WAL) is the embedded default; PostgreSQL is the store of several hosts
// (docs/scale-out.md): users are hashed into partitions that the hosts lease, so that each user's
// jobs of a destination are claimed by one host at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

// An accepted event and the destinations it must reach.
struct IncomingEvent {
    std::string payload;                    // the final RudderStack message, JSON text
    std::string user_key;                   // userId, else anonymousId: per-user order key
    std::vector<std::string> destinations;  // destination keys ("<workspace>/<destination id>")
    std::string source = {};                // the source's id: picks its connection's instance at delivery
};

struct Job {
    int64_t id = 0;  // increases with arrival: id order is arrival order
    std::string destination;
    std::string user_key;
    std::string payload;
    uint32_t attempts = 0;          // sends tried so far
    int64_t created_ms = 0;         // when the event was accepted
    int64_t first_failure_ms = 0;   // when the first failed attempt happened; 0 if none yet
    std::string source = {};        // the event's source id; empty for events stored before sources were kept
};

enum class Settlement { delivered, retry, dead };

struct JobSettlement {
    int64_t job_id = 0;
    Settlement kind = Settlement::delivered;
    int64_t next_attempt_ms = 0;  // with retry
    std::string reason;           // with retry (last error) and dead (why)
};

struct QueueStats {
    std::string destination;
    uint64_t depth = 0;            // jobs not yet delivered nor dead-lettered
    int64_t oldest_created_ms = 0; // 0 when empty
};

// Which dead letters a purge deletes: those of `ids` when given, else those that failed before
// `failed_before_ms` when given, else all; only `destination`'s when it is not empty.
struct PurgeSelection {
    std::string destination;
    std::vector<int64_t> ids;
    std::optional<int64_t> failed_before_ms;
};

struct DeadLetter {
    int64_t id = 0;
    std::string destination;
    std::string user_key;
    std::string payload;
    std::string reason;
    uint32_t attempts = 0;
    int64_t created_ms = 0;
    int64_t failed_ms = 0;
};

// What the crash journal found at start, per destination: jobs in flight in a plugin call during
// one crash (now delivered alone) and during two (dead-lettered).
struct CrashSuspects {
    std::string destination;
    size_t suspects = 0;
    size_t dead_lettered = 0;
};

// A regulation (host/regulation/) as the store keeps it: its record is JSON text the regulation
// module writes and reads; the store only keeps it durable.
struct StoredRegulation {
    int64_t id = 0;
    int64_t created_ms = 0;
    std::string record;
};

class Store {
   public:
    virtual ~Store() = default;

    // Called after each commit that added jobs, with the destinations that got some, on the
    // committing thread (so it must be quick). Set before the first append.
    using JobsAdded = std::function<void(std::span<const std::string_view> destinations)>;
    virtual void on_jobs_added(JobsAdded listener) = 0;

    // Durable when it returns: the commit has reached stable storage. Safe from many threads;
    // concurrent calls may share one commit (group commit). Throws std::runtime_error on I/O failure.
    virtual void append(std::span<const IncomingEvent> events, int64_t now_ms) = 0;

    // Up to `limit` jobs of `destination`, in id order, that are due (never tried, or their
    // retry time has come). Per-user order: a job is eligible only when no earlier job of the
    // same user and destination is waiting for a retry, and `user_busy(user)` is false (the
    // router's in-flight users). Jobs of one user come out in id order. A crash suspect (a job
    // in flight during a crash) comes out alone, and only while no other suspect of any
    // destination is claimed and not yet settled: a second crash then blames it and nothing else.
    virtual std::vector<Job> claim(std::string_view destination, size_t limit, int64_t now_ms,
                                   const std::function<bool(std::string_view user_key)> &user_busy) = 0;

    // When the destination's next pending job is due, among the jobs a claim looks at (a job never
    // tried is due at once, a retry at its next attempt); nullopt when none is pending. An idle
    // runner sleeps until then instead of polling.
    virtual std::optional<int64_t> next_due_ms(std::string_view destination) = 0;

    // Changes whenever a transaction was committed, by this process or another (another's may
    // show a moment later: PostgreSQL's come as notifications): an idle host compares it now and
    // then to notice jobs another process added (`dead-letter replay`).
    virtual uint64_t data_version() = 0;

    // Applies settlements in one durable transaction (which may also hold other callers' writes):
    // delivered jobs are removed, retries get their next attempt time (attempts+1,
    // first_failure_ms set on the first failure), dead jobs move to the dead-letter table with
    // the reason. Reasons are stored redacted (log::redact): the store outlives the secrets' process.
    virtual void settle(std::span<const JobSettlement> settlements, int64_t now_ms) = 0;

    // The crash journal, for plugins called inside the host process: a plugin that crashes the
    // process must not be handed the same events at every restart. begin_plugin_call records
    // that `job_ids` are in a plugin call (one row for the batch) and returns the entry that
    // end_plugin_call removes once the call is over. Survives a crash of the process, not of
    // the machine.
    virtual int64_t begin_plugin_call(std::string_view destination, std::span<const int64_t> job_ids) = 0;
    virtual void end_plugin_call(int64_t entry) = 0;
    // At start, before delivery: each pending job of an entry left behind was in flight during a
    // crash and gets a strike; its second strike dead-letters it. Clears the journal.
    virtual std::vector<CrashSuspects> blame_crashed_plugin_calls(int64_t now_ms) = 0;

    // Pending jobs per destination (every destination that has any).
    virtual std::vector<QueueStats> queue_stats() = 0;

    // Dead letters, oldest first; empty `destination` means all.
    virtual std::vector<DeadLetter> dead_letters(std::string_view destination, size_t limit) = 0;

    // Moves dead letters back into the queue as fresh jobs (attempts 0), keeping their original
    // arrival order among themselves. Empty `ids` means every dead letter of `destination`
    // (empty destination: all). Returns how many were replayed.
    virtual size_t replay(std::string_view destination, std::span<const int64_t> ids, int64_t now_ms) = 0;

    // Deletes dead letters for good, in one transaction. Returns how many were deleted.
    virtual size_t purge(const PurgeSelection &selection) = 0;

    // Dead letters per destination (every destination that has any); cheap: a kept count.
    virtual std::map<std::string, uint64_t> dead_letter_counts() = 0;

    // Regulations, durably: add returns the new id; ids never repeat.
    virtual int64_t add_regulation(std::string_view record, int64_t now_ms) = 0;
    virtual std::vector<StoredRegulation> regulations() = 0;  // oldest first
    virtual void update_regulation(int64_t id, std::string_view record) = 0;
    // Deletes `user_key`'s pending jobs (a suppressed user) or dead letters (a deleted user) for
    // `destination`, in one transaction each. Returns how many. A job in flight that is purged
    // settles as an unknown id, which is ignored.
    virtual size_t purge_user_jobs(std::string_view destination, std::string_view user_key) = 0;
    virtual size_t purge_user_dead_letters(std::string_view destination, std::string_view user_key) = 0;

    // The partitions of users this host delivers for, in a store shared by several hosts;
    // nullopt in a store of one host.
    virtual std::optional<size_t> partitions_held() { return std::nullopt; }
};

// `<data_dir>/switchyard.db`: the database file of the store in `data_dir`.
std::filesystem::path sqlite_store_file(const std::filesystem::path &data_dir);

// Creates `data_dir` (owner only: the store holds customer data) when missing. Throws
// std::runtime_error with a sentence naming the database file when it cannot.
void create_data_dir(const std::filesystem::path &data_dir);

// Opens (creating if needed) the database `file`, and its directory (owner only) when missing.
// Throws std::runtime_error with a sentence naming the file when it cannot.
std::unique_ptr<Store> open_sqlite_store_file(const std::filesystem::path &file);
// The same for `<data_dir>/switchyard.db`.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path &data_dir);

struct PostgresStoreOptions {
    std::string url;                 // a libpq connection URI (postgresql://...), password included
    std::filesystem::path data_dir;  // this host's own directory: its crash journal lives there
    // A host that stops renewing its partition leases (dead, or cut off from PostgreSQL) loses
    // them after this; the others take them over within it plus one heartbeat (an eighth of it).
    std::chrono::milliseconds lease_timeout{8000};
    // false for one-off commands (dead-letter, regulation): they join no cluster, lease nothing.
    bool delivers = true;
};

// Connects, migrates the schema (several hosts starting together migrate once) and, when it
// delivers, joins the cluster of hosts on that database. Throws std::runtime_error with a
// sentence that never holds the password.
std::unique_ptr<Store> open_postgres_store(const PostgresStoreOptions &options);

}  // namespace switchyard
