// The embedded durable store: SQLite in WAL mode; appends, claims and settlements.
#include "host/store/sqlite_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "host/log/log.h"
#include "host/store/claim_rules.h"
#include "host/store/sqlite_schema.h"
#include "host/store/sqlite_statements.h"

namespace switchyard {
namespace {

// The store holds customer data: only its owner may read the directory and the file.
constexpr mode_t kDataDirMode = 0700;
constexpr mode_t kDatabaseFileMode = 0600;

// SQLite gives its -wal and -shm files the database file's mode, so creating the file
// ourselves decides the mode of all three.
void create_database_file(const std::filesystem::path &file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kDatabaseFileMode);
    if (fd < 0)
        throw std::runtime_error("Store " + file.string() + ": could not open the database: " + std::generic_category().message(errno));
    ::close(fd);
}

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path &file)
    : writer_(file), reader_(file), journal_(std::filesystem::path(file).replace_extension("crash-journal.db")) {
    sqlite::configure_connection(writer_);
    sqlite::migrate(writer_);
    sqlite::configure_connection(reader_);
    write_ = std::make_unique<WriterStatements>(writer_);
    read_ = std::make_unique<ReaderStatements>(reader_);
    group_commit_.emplace([this](std::span<const PendingWrite *const> writes) { write_pending(writes); });
}

SqliteStore::~SqliteStore() { group_commit_.reset(); }

void SqliteStore::append(std::span<const IncomingEvent> events, int64_t now_ms) {
    if (events.empty()) return;
    group_commit_->submit(PendingWrite{events, {}, now_ms});
}

// Runs on the group-commit thread: every queued caller's write in one transaction, in the
// order they came (a settlement only names jobs committed before it was claimed).
void SqliteStore::write_pending(std::span<const PendingWrite *const> writes) {
    DepthChanges depth;
    {
        std::lock_guard lock(writer_mutex_);
        sqlite::Transaction transaction(writer_);
        for (const PendingWrite *write : writes) {
            write_append(write->events, write->now_ms, depth);
            write_settlements(write->settlements, write->now_ms, depth);
        }
        depth.write(write_->add_depth);
        transaction.commit();
    }
    if (const std::vector<std::string_view> added = depth.destinations_with_jobs_added(); jobs_added_ && !added.empty())
        jobs_added_(added);
}

void SqliteStore::write_append(std::span<const IncomingEvent> events, int64_t now_ms, DepthChanges &depth) {
    for (const IncomingEvent &event : events) {
        if (event.destinations.empty()) continue;  // nothing would ever deliver it
        write_->insert_event.bind(1, event.payload).bind(2, now_ms).bind(3, event.source).run();
        const int64_t event_id = writer_.last_insert_id();
        for (const std::string &destination : event.destinations) {
            write_->insert_job.bind(1, event_id).bind(2, destination).bind(3, event.user_key).bind(4, now_ms).run();
            depth.add(destination, 1);
        }
    }
}

// One pass over the head of the destination's queue in id order, under the claim rules.
std::vector<Job> SqliteStore::claim(std::string_view destination, size_t limit, int64_t now_ms,
                                    const std::function<bool(std::string_view)> &user_busy) {
    std::vector<Job> jobs;
    if (limit == 0) return jobs;
    std::lock_guard lock(reader_mutex_);
    sqlite::Transaction snapshot(reader_, false);  // the scan and the payloads agree
    std::vector<int64_t> event_ids;
    {
        sqlite::Statement &scan = read_->pending_jobs;
        sqlite::ResetOnExit reset(scan);
        scan.bind(1, destination).bind(2, static_cast<int64_t>(kClaimScanRows));
        ClaimRules rules(now_ms, user_busy, suspect_lane_);
        bool alone = false;
        while (!alone && jobs.size() < limit && scan.step()) {
            const ClaimRules::Verdict verdict =
                rules.judge(scan.integer(0), scan.text(1), scan.integer(2), scan.integer(7) > 0, jobs.size());
            if (verdict == ClaimRules::Verdict::stop) break;
            if (verdict == ClaimRules::Verdict::skip) continue;
            jobs.push_back(Job{scan.integer(0), std::string(destination), std::string(scan.text(1)), {},
                               static_cast<uint32_t>(scan.integer(3)), scan.integer(4), scan.integer(5)});
            event_ids.push_back(scan.integer(6));
            alone = verdict == ClaimRules::Verdict::take_alone;
        }
    }
    sqlite::Statement &payload = read_->payload;
    for (size_t i = 0; i < jobs.size(); ++i) {
        sqlite::ResetOnExit reset(payload);
        if (!payload.bind(1, event_ids[i]).step()) continue;
        jobs[i].payload = payload.text(0);
        jobs[i].source = payload.text(1);
    }
    snapshot.commit();
    return jobs;
}

// Over the rows a claim scans: a job beyond them cannot go out before the head moves either.
std::optional<int64_t> SqliteStore::next_due_ms(std::string_view destination) {
    std::lock_guard lock(reader_mutex_);
    sqlite::Statement &query = read_->next_due;
    sqlite::ResetOnExit reset(query);
    query.bind(1, destination).bind(2, static_cast<int64_t>(kClaimScanRows)).step();
    if (query.integer(0) == 0) return std::nullopt;
    return query.integer(1);
}

// The reader connection never writes: every commit, the writer's or another process's, shows.
uint64_t SqliteStore::data_version() {
    std::lock_guard lock(reader_mutex_);
    sqlite::Statement &query = read_->data_version;
    sqlite::ResetOnExit reset(query);
    query.step();
    return static_cast<uint64_t>(query.integer(0));
}

void SqliteStore::settle(std::span<const JobSettlement> settlements, int64_t now_ms) {
    if (settlements.empty()) return;
    for (const JobSettlement &s : settlements) suspect_lane_.settled(s.job_id);  // its plugin call is over
    group_commit_->submit_settlements(settlements, now_ms);
}

// Reasons quote destinations' answers, which may echo a key. They are redacted here, while this
// process knows the secrets: the store outlives it, and `dead-letter list` (another process, with
// no configuration) prints them as stored.
void SqliteStore::write_settlements(std::span<const JobSettlement> settlements, int64_t now_ms, DepthChanges &depth) {
    for (const JobSettlement &s : settlements) {
        switch (s.kind) {
            case Settlement::delivered:
                remove_job(s.job_id, depth);
                break;
            case Settlement::retry:
                write_->retry_job.bind(1, s.job_id).bind(2, s.next_attempt_ms).bind(3, log::redact(s.reason)).bind(4, now_ms).run();
                break;
            case Settlement::dead:
                write_->bury_job.bind(1, s.job_id).bind(2, log::redact(s.reason)).bind(3, now_ms).run();
                remove_job(s.job_id, depth);
                break;
        }
    }
}

// Deletes the job, and its event once no other destination's job needs the payload.
// An unknown id (settled already) is ignored.
void SqliteStore::remove_job(int64_t job_id, DepthChanges &depth) {
    int64_t event_id = 0;
    {
        sqlite::ResetOnExit reset(write_->delete_job);
        if (!write_->delete_job.bind(1, job_id).step()) return;
        event_id = write_->delete_job.integer(0);
        depth.add(write_->delete_job.text(1), -1);
        while (write_->delete_job.step()) {
        }
    }
    write_->delete_event_without_jobs.bind(1, event_id).run();
}

std::filesystem::path sqlite_store_file(const std::filesystem::path &data_dir) { return data_dir / "switchyard.db"; }

void create_data_dir(const std::filesystem::path &data_dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(data_dir, ec)) return;
    if (data_dir.has_parent_path() && !data_dir.parent_path().empty())
        std::filesystem::create_directories(data_dir.parent_path(), ec);
    if (::mkdir(data_dir.c_str(), kDataDirMode) != 0 && errno != EEXIST)
        throw std::runtime_error("Store " + sqlite_store_file(data_dir).string() + ": could not create the data directory " +
                                 data_dir.string() + ": " + std::generic_category().message(errno));
}

std::unique_ptr<Store> open_sqlite_store_file(const std::filesystem::path &file) {
    create_data_dir(file.has_parent_path() ? file.parent_path() : std::filesystem::path("."));
    create_database_file(file);
    return std::make_unique<SqliteStore>(file);
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path &data_dir) {
    return open_sqlite_store_file(sqlite_store_file(data_dir));
}

}  // namespace switchyard
