// The PostgreSQL store: appends, claims from leased partitions, settlements. Each statement
// carries a whole batch as arrays, so a commit costs a few round trips whatever its size.
#include "host/store/postgres_store.h"

#include <algorithm>
#include <random>
#include <unordered_map>

#include "host/log/log.h"
#include "host/store/claim_rules.h"
#include "host/store/store_location.h"

namespace switchyard {
namespace {

constexpr int kDepthSlots = 16;
constexpr size_t kMaxNotifyBytes = 7000;  // NOTIFY's payload must stay under 8000 bytes

int random_slot() {
    std::random_device random;
    return static_cast<int>(random() % kDepthSlots);
}

std::vector<int> every_partition() {
    std::vector<int> all(pg::kPartitions);
    for (int p = 0; p < pg::kPartitions; ++p) all[static_cast<size_t>(p)] = p;
    return all;
}

}  // namespace

PostgresStore::PostgresStore(const PostgresStoreOptions &options, const std::string &shown)
    : depth_slot_(random_slot()), writer_(options.url, shown), reader_(options.url, shown) {
    pg::migrate(writer_);
    if (options.delivers) {
        journal_ = std::make_unique<CrashJournal>(options.data_dir / "postgresql.crash-journal.db");
        leases_ = std::make_unique<PartitionLeases>(
            options.url, shown, options.lease_timeout,
            PartitionLeases::Hooks{[this](int partition) { return jobs_in_flight(partition); },
                                   [this] { wake_for(""); },
                                   [this](std::string_view destinations) { wake_for(destinations); }});
    }
    group_commit_.emplace([this](std::span<const PendingWrite *const> writes) { write_pending(writes); });
}

PostgresStore::~PostgresStore() {
    group_commit_.reset();
    leases_.reset();  // after the last settlement: the next owner must not deliver what this host did
}

void PostgresStore::append(std::span<const IncomingEvent> events, int64_t now_ms) {
    if (events.empty()) return;
    group_commit_->submit(PendingWrite{events, {}, now_ms});
}

void PostgresStore::write_pending(std::span<const PendingWrite *const> writes) {
    DepthChanges depth;
    {
        std::lock_guard lock(writer_mutex_);
        pg::Transaction transaction(writer_);
        write_appends(writes, depth);
        write_settlements(writes, depth);
        write_depth(depth);
        tell_other_hosts(depth);
        transaction.commit();
    }
    data_version_.fetch_add(1);
    tell_listener(depth.destinations_with_jobs_added());
}

// Ids are drawn first, in one round trip, so each job names its event and gets an id in
// arrival order; then one INSERT for all events and one for all jobs.
void PostgresStore::write_appends(std::span<const PendingWrite *const> writes, DepthChanges &depth) {
    std::vector<const IncomingEvent *> kept;
    std::vector<int64_t> kept_at;
    size_t jobs = 0;
    for (const PendingWrite *write : writes)
        for (const IncomingEvent &event : write->events) {
            if (event.destinations.empty()) continue;  // nothing would ever deliver it
            kept.push_back(&event);
            kept_at.push_back(write->now_ms);
            jobs += event.destinations.size();
        }
    if (kept.empty()) return;
    const pg::Result ids = writer_.exec(
        "SELECT 0, nextval('events_id_seq') FROM generate_series(1, $1::int) UNION ALL "
        "SELECT 1, nextval('jobs_id_seq') FROM generate_series(1, $2::int) ORDER BY 1, 2",
        pg::Params().add(static_cast<int64_t>(kept.size())).add(static_cast<int64_t>(jobs)));
    std::vector<int64_t> event_ids, job_ids, event_of_job, job_created;
    std::vector<int> partitions;
    std::vector<std::string_view> payloads, sources, destinations, users;
    int row = 0;
    for (const IncomingEvent *event : kept) {
        event_ids.push_back(ids.integer(row++, 1));
        payloads.push_back(event->payload);
        sources.push_back(event->source);
    }
    for (size_t i = 0; i < kept.size(); ++i)
        for (const std::string &destination : kept[i]->destinations) {
            job_ids.push_back(ids.integer(row++, 1));
            event_of_job.push_back(event_ids[i]);
            destinations.push_back(destination);
            users.push_back(kept[i]->user_key);
            partitions.push_back(user_partition(kept[i]->user_key));
            job_created.push_back(kept_at[i]);
            depth.add(destination, 1);
        }
    writer_.exec("INSERT INTO events(id, payload, created_ms, source) "
                 "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[])",
                 pg::Params()
                     .add(pg::array_literal(event_ids))
                     .add(pg::array_literal(payloads))
                     .add(pg::array_literal(kept_at))
                     .add(pg::array_literal(sources)));
    writer_.exec("INSERT INTO jobs(id, event_id, destination, user_key, user_partition, created_ms) "
                 "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::bigint[])",
                 pg::Params()
                     .add(pg::array_literal(job_ids))
                     .add(pg::array_literal(event_of_job))
                     .add(pg::array_literal(destinations))
                     .add(pg::array_literal(users))
                     .add(pg::array_literal(partitions))
                     .add(pg::array_literal(job_created)));
}

// Reasons are stored redacted, as in the SQLite store (see SqliteStore::write_settlements).
void PostgresStore::write_settlements(std::span<const PendingWrite *const> writes, DepthChanges &depth) {
    std::vector<int64_t> removed, buried, retried, retry_at, failed_at;
    std::vector<std::string> buried_reasons, retry_reasons;
    int64_t now_ms = 0;
    for (const PendingWrite *write : writes)
        for (const JobSettlement &s : write->settlements) {
            now_ms = write->now_ms;
            if (s.kind == Settlement::retry) {
                retried.push_back(s.job_id);
                retry_at.push_back(s.next_attempt_ms);
                retry_reasons.push_back(log::redact(s.reason));
                failed_at.push_back(write->now_ms);
                continue;
            }
            if (s.kind == Settlement::dead) {
                buried.push_back(s.job_id);
                buried_reasons.push_back(log::redact(s.reason));
            }
            removed.push_back(s.job_id);
        }
    if (!retried.empty())
        writer_.exec("UPDATE jobs j SET attempts = j.attempts + 1, next_attempt_ms = t.next_attempt_ms, last_error = t.reason, "
                     "first_failure_ms = CASE j.first_failure_ms WHEN 0 THEN t.failed_ms ELSE j.first_failure_ms END "
                     "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) AS t(id, next_attempt_ms, reason, failed_ms) "
                     "WHERE j.id = t.id",
                     pg::Params()
                         .add(pg::array_literal(retried))
                         .add(pg::array_literal(retry_at))
                         .add(pg::array_literal(retry_reasons))
                         .add(pg::array_literal(failed_at)));
    if (!buried.empty()) bury_jobs(buried, buried_reasons, now_ms);
    remove_jobs(removed, depth);
}

void PostgresStore::bury_jobs(std::span<const int64_t> job_ids, std::span<const std::string> reasons, int64_t now_ms) {
    writer_.exec("INSERT INTO dead_letters(job_id, destination, user_key, payload, reason, attempts, created_ms, failed_ms, source) "
                 "SELECT j.id, j.destination, j.user_key, e.payload, t.reason, j.attempts + 1, j.created_ms, $3, e.source "
                 "FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS t(id, reason, n) "
                 "JOIN jobs j ON j.id = t.id JOIN events e ON e.id = j.event_id ORDER BY t.n",
                 pg::Params().add(pg::array_literal(job_ids)).add(pg::array_literal(reasons)).add(now_ms));
}

// Deletes the jobs, and each event no other job needs any more. An unknown id (settled already)
// is ignored. The events are locked before they are looked at: two hosts removing the last two
// jobs of one event at once would otherwise each see the other's job and both keep the event.
void PostgresStore::remove_jobs(std::span<const int64_t> job_ids, DepthChanges &depth) {
    if (job_ids.empty()) return;
    const pg::Result gone = writer_.exec("DELETE FROM jobs WHERE id = ANY($1::bigint[]) RETURNING event_id, destination",
                                         pg::Params().add(pg::array_literal(job_ids)));
    if (gone.rows() == 0) return;
    std::vector<int64_t> events;
    for (int row = 0; row < gone.rows(); ++row) {
        events.push_back(gone.integer(row, 0));
        depth.add(gone.text(row, 1), -1);
    }
    const std::string event_ids = pg::array_literal(events);
    writer_.exec("SELECT id FROM events WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", pg::Params().add(event_ids));
    writer_.exec("DELETE FROM events e WHERE e.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.event_id = e.id)",
                 pg::Params().add(event_ids));
}

// Into this host's slot rows, in destination order (rows are locked in one order by everyone).
void PostgresStore::write_depth(const DepthChanges &depth) {
    std::vector<std::string_view> destinations;
    std::vector<int64_t> changes;
    depth.for_each_net_change([&](std::string_view destination, int64_t jobs) {
        destinations.push_back(destination);
        changes.push_back(jobs);
    });
    if (destinations.empty()) return;
    writer_.exec("INSERT INTO queue_depth(destination, slot, jobs) SELECT d, $2, n FROM unnest($1::text[], $3::bigint[]) AS t(d, n) "
                 "ORDER BY d ON CONFLICT(destination, slot) DO UPDATE SET jobs = queue_depth.jobs + EXCLUDED.jobs",
                 pg::Params().add(pg::array_literal(destinations)).add(static_cast<int64_t>(depth_slot_)).add(pg::array_literal(changes)));
}

// Delivered when the transaction commits. Alone, a host tells nobody (its own runners are woken
// by jobs_added_); a command that is no host (replay) always tells.
void PostgresStore::tell_other_hosts(const DepthChanges &depth) {
    if (leases_ && leases_->live_hosts() <= 1) return;
    std::string destinations;
    for (std::string_view destination : depth.destinations_with_jobs_added())
        destinations.append(destinations.empty() ? "" : "\n").append(destination);
    if (destinations.empty()) return;
    if (destinations.size() > kMaxNotifyBytes) destinations.clear();  // "" wakes every destination
    writer_.exec("SELECT pg_notify($1, $2)", pg::Params().add(kJobsChannel).add(destinations));
}

// Another host committed jobs for `destinations` ('\n' between them; empty: any), or this host
// took partitions: idle runners look again.
void PostgresStore::wake_for(std::string_view destinations) {
    data_version_.fetch_add(1);
    std::vector<std::string> named;
    if (destinations.empty()) {
        for (const QueueStats &queue : queue_stats()) named.push_back(queue.destination);
    } else {
        for (size_t at = 0; at <= destinations.size();) {
            const size_t end = std::min(destinations.find('\n', at), destinations.size());
            named.emplace_back(destinations.substr(at, end - at));
            at = end + 1;
        }
    }
    const std::vector<std::string_view> views(named.begin(), named.end());
    tell_listener(views);
}

void PostgresStore::on_jobs_added(JobsAdded listener) {
    std::lock_guard lock(listener_mutex_);
    jobs_added_ = std::move(listener);
}

void PostgresStore::tell_listener(std::span<const std::string_view> destinations) {
    std::lock_guard lock(listener_mutex_);
    if (jobs_added_ && !destinations.empty()) jobs_added_(destinations);
}

std::vector<int> PostgresStore::claimable_partitions() const {
    return leases_ ? leases_->claimable() : every_partition();
}

// Under the claim rules, over the partitions this host leases, in pages of the scan.
std::vector<Job> PostgresStore::claim(std::string_view destination, size_t limit, int64_t now_ms,
                                      const std::function<bool(std::string_view)> &user_busy) {
    std::vector<Job> jobs;
    const std::vector<int> partitions = claimable_partitions();
    if (limit == 0 || partitions.empty()) return jobs;
    const std::string partition_list = pg::array_literal(partitions);
    const auto page = static_cast<int64_t>(std::clamp<size_t>(limit * 2, 64, kClaimScanRows));
    std::vector<int64_t> event_ids;
    ClaimRules rules(now_ms, user_busy, suspect_lane_);
    std::lock_guard lock(reader_mutex_);
    int64_t after = 0;
    bool last_page = false, ended = false;
    for (size_t scanned = 0; !last_page && !ended && jobs.size() < limit && scanned < kClaimScanRows;) {
        const pg::Result rows = reader_.exec(
            "SELECT id, user_key, next_attempt_ms, attempts, created_ms, first_failure_ms, event_id, crash_strikes "
            "FROM jobs WHERE destination = $1 AND user_partition = ANY($2::int[]) AND id > $3 ORDER BY id LIMIT $4",
            pg::Params().add(destination).add(partition_list).add(after).add(page));
        scanned += static_cast<size_t>(rows.rows());
        last_page = rows.rows() < page;
        for (int row = 0; !ended && row < rows.rows() && jobs.size() < limit; ++row) {
            after = rows.integer(row, 0);
            const ClaimRules::Verdict verdict =
                rules.judge(after, rows.text(row, 1), rows.integer(row, 2), rows.integer(row, 7) > 0, jobs.size());
            ended = verdict == ClaimRules::Verdict::stop || verdict == ClaimRules::Verdict::take_alone;
            if (verdict == ClaimRules::Verdict::skip || verdict == ClaimRules::Verdict::stop) continue;
            jobs.push_back(Job{after, std::string(destination), std::string(rows.text(row, 1)), {},
                               static_cast<uint32_t>(rows.integer(row, 3)), rows.integer(row, 4), rows.integer(row, 5)});
            event_ids.push_back(rows.integer(row, 6));
        }
    }
    std::vector<Job> found = with_payloads(std::move(jobs), event_ids);
    track_claimed(found);
    return found;
}

// The jobs whose event is still there (a regulation may have purged it since the scan), with it.
std::vector<Job> PostgresStore::with_payloads(std::vector<Job> jobs, const std::vector<int64_t> &event_ids) {
    if (jobs.empty()) return jobs;
    const pg::Result payloads = reader_.exec("SELECT id, payload, source FROM events WHERE id = ANY($1::bigint[])",
                                             pg::Params().add(pg::array_literal(event_ids)));
    std::unordered_map<int64_t, int> row_of;
    for (int row = 0; row < payloads.rows(); ++row) row_of.emplace(payloads.integer(row, 0), row);
    std::vector<Job> found;
    for (size_t i = 0; i < jobs.size(); ++i) {
        const auto row = row_of.find(event_ids[i]);
        if (row == row_of.end()) continue;
        jobs[i].payload = payloads.text(row->second, 1);
        jobs[i].source = payloads.text(row->second, 2);
        found.push_back(std::move(jobs[i]));
    }
    return found;
}

void PostgresStore::track_claimed(const std::vector<Job> &jobs) {
    std::lock_guard lock(in_flight_mutex_);
    for (const Job &job : jobs) {
        const int partition = user_partition(job.user_key);
        if (in_flight_.emplace(job.id, partition).second) ++in_flight_per_partition_[static_cast<size_t>(partition)];
    }
}

size_t PostgresStore::jobs_in_flight(int partition) {
    std::lock_guard lock(in_flight_mutex_);
    return in_flight_per_partition_[static_cast<size_t>(partition)];
}

std::optional<int64_t> PostgresStore::next_due_ms(std::string_view destination) {
    const std::vector<int> partitions = claimable_partitions();
    if (partitions.empty()) return std::nullopt;
    std::lock_guard lock(reader_mutex_);
    const pg::Result due = reader_.exec(
        "SELECT COUNT(*), MIN(next_attempt_ms) FROM (SELECT next_attempt_ms FROM jobs WHERE destination = $1 "
        "AND user_partition = ANY($2::int[]) ORDER BY id LIMIT $3) head",
        pg::Params().add(destination).add(pg::array_literal(partitions)).add(static_cast<int64_t>(kClaimScanRows)));
    if (due.integer(0, 0) == 0) return std::nullopt;
    return due.integer(0, 1);
}

void PostgresStore::settle(std::span<const JobSettlement> settlements, int64_t now_ms) {
    if (settlements.empty()) return;
    for (const JobSettlement &s : settlements) suspect_lane_.settled(s.job_id);
    group_commit_->submit_settlements(settlements, now_ms);
    untrack_settled(settlements);
}

// Once committed: a partition drained meanwhile may be handed over only when the next owner
// will not find these jobs pending.
void PostgresStore::untrack_settled(std::span<const JobSettlement> settlements) {
    std::lock_guard lock(in_flight_mutex_);
    for (const JobSettlement &s : settlements) {
        const auto it = in_flight_.find(s.job_id);
        if (it == in_flight_.end()) continue;
        --in_flight_per_partition_[static_cast<size_t>(it->second)];
        in_flight_.erase(it);
    }
}

std::vector<QueueStats> PostgresStore::queue_stats() {
    std::lock_guard lock(reader_mutex_);
    const pg::Result rows = reader_.exec(
        "SELECT destination, SUM(jobs), (SELECT MIN(created_ms) FROM jobs j WHERE j.destination = q.destination) "
        "FROM queue_depth q GROUP BY destination HAVING SUM(jobs) > 0");
    std::vector<QueueStats> stats;
    stats.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row)
        stats.push_back({std::string(rows.text(row, 0)), static_cast<uint64_t>(rows.integer(row, 1)), rows.integer(row, 2)});
    return stats;
}

std::optional<Store::PartitionShare> PostgresStore::partition_share() {
    if (!leases_) return std::nullopt;
    return PartitionShare{leases_->held(), pg::kPartitions};
}

// The holder of the first partition: one host at a time, and another once it is gone.
bool PostgresStore::coordinates() { return leases_ && leases_->holds(0); }

std::unique_ptr<Store> open_postgres_store(const PostgresStoreOptions &options) {
    return std::make_unique<PostgresStore>(options, url_without_password(options.url));
}

}  // namespace switchyard
