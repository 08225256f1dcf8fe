// The PostgreSQL store's operator side: dead letters (list, replay, purge), regulations and their
// purges, and the crash journal's strikes at start.
#include <algorithm>

#include "host/store/postgres_store.h"

namespace switchyard {
namespace {

DeadLetter read_dead_letter(const pg::Result &rows, int row) {
    return DeadLetter{rows.integer(row, 0),
                      std::string(rows.text(row, 1)),
                      std::string(rows.text(row, 2)),
                      std::string(rows.text(row, 3)),
                      std::string(rows.text(row, 4)),
                      static_cast<uint32_t>(rows.integer(row, 5)),
                      rows.integer(row, 6),
                      rows.integer(row, 7)};
}

std::vector<int64_t> column_of(const pg::Result &rows, int column) {
    std::vector<int64_t> values;
    values.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) values.push_back(rows.integer(row, column));
    return values;
}

int64_t sql_limit(size_t limit) { return static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)); }

}  // namespace

std::vector<DeadLetter> PostgresStore::dead_letters(std::string_view destination, size_t limit) {
    std::lock_guard lock(reader_mutex_);
    const pg::Result rows = reader_.exec(
        "SELECT id, destination, user_key, payload, reason, attempts, created_ms, failed_ms FROM dead_letters "
        "WHERE $2 = '' OR destination = $2 ORDER BY id LIMIT $1",
        pg::Params().add(sql_limit(limit)).add(destination));
    std::vector<DeadLetter> letters;
    letters.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) letters.push_back(read_dead_letter(rows, row));
    return letters;
}

// The chosen dead letters' ids in their jobs' original arrival order; ids that do not exist, or
// belong to another destination than the one asked for, are left out.
std::vector<int64_t> PostgresStore::dead_letters_to_replay(std::string_view destination, std::span<const int64_t> ids) {
    if (ids.empty())
        return column_of(writer_.exec("SELECT id FROM dead_letters WHERE $1 = '' OR destination = $1 ORDER BY job_id",
                                      pg::Params().add(destination)),
                         0);
    return column_of(writer_.exec("SELECT id FROM dead_letters WHERE id = ANY($1::bigint[]) AND ($2 = '' OR destination = $2) "
                                  "ORDER BY job_id",
                                  pg::Params().add(pg::array_literal(ids)).add(destination)),
                     0);
}

// Each dead letter becomes a new event and a fresh job (attempts 0, due now), in their original
// order, in one transaction; the payloads are copied inside PostgreSQL.
size_t PostgresStore::replay(std::string_view destination, std::span<const int64_t> ids, int64_t /*now_ms*/) {
    std::lock_guard lock(writer_mutex_);
    pg::Transaction transaction(writer_);
    const std::vector<int64_t> chosen = dead_letters_to_replay(destination, ids);
    if (chosen.empty()) return 0;
    const std::string chosen_ids = pg::array_literal(chosen);
    const pg::Result fresh = writer_.exec(
        "SELECT nextval('events_id_seq'), nextval('jobs_id_seq'), d.user_key, d.destination FROM unnest($1::bigint[]) "
        "WITH ORDINALITY AS c(id, n) JOIN dead_letters d ON d.id = c.id ORDER BY c.n",
        pg::Params().add(chosen_ids));
    std::vector<int> partitions;
    DepthChanges depth;
    for (int row = 0; row < fresh.rows(); ++row) {
        partitions.push_back(user_partition(fresh.text(row, 2)));
        depth.add(fresh.text(row, 3), 1);
    }
    const pg::Params revived = pg::Params()
                                   .add(chosen_ids)
                                   .add(pg::array_literal(column_of(fresh, 0)))
                                   .add(pg::array_literal(column_of(fresh, 1)))
                                   .add(pg::array_literal(partitions));
    writer_.exec("INSERT INTO events(id, payload, created_ms, source) SELECT t.event_id, d.payload, d.created_ms, d.source "
                 "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[]) AS t(id, event_id, job_id, p) "
                 "JOIN dead_letters d ON d.id = t.id",
                 revived);
    writer_.exec("INSERT INTO jobs(id, event_id, destination, user_key, user_partition, created_ms) "
                 "SELECT t.job_id, t.event_id, d.destination, d.user_key, t.p, d.created_ms "
                 "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[]) AS t(id, event_id, job_id, p) "
                 "JOIN dead_letters d ON d.id = t.id",
                 revived);
    writer_.exec("DELETE FROM dead_letters WHERE id = ANY($1::bigint[])", pg::Params().add(chosen_ids));
    write_depth(depth);
    tell_other_hosts(depth);
    transaction.commit();
    data_version_.fetch_add(1);  // this host's idle runners look again too
    return chosen.size();
}

size_t PostgresStore::purge(const PurgeSelection &selection) {
    std::lock_guard lock(writer_mutex_);
    if (!selection.ids.empty())
        return static_cast<size_t>(
            writer_.exec("DELETE FROM dead_letters WHERE id = ANY($1::bigint[]) AND ($2 = '' OR destination = $2)",
                         pg::Params().add(pg::array_literal(selection.ids)).add(selection.destination))
                .affected());
    return static_cast<size_t>(
        writer_.exec("DELETE FROM dead_letters WHERE failed_ms < $1 AND ($2 = '' OR destination = $2)",
                     pg::Params().add(selection.failed_before_ms.value_or(INT64_MAX)).add(selection.destination))
            .affected());
}

std::map<std::string, uint64_t> PostgresStore::dead_letter_counts() {
    std::lock_guard lock(reader_mutex_);
    const pg::Result rows = reader_.exec("SELECT destination, letters FROM dead_letter_count WHERE letters > 0");
    std::map<std::string, uint64_t> counts;
    for (int row = 0; row < rows.rows(); ++row)
        counts.emplace(rows.text(row, 0), static_cast<uint64_t>(rows.integer(row, 1)));
    return counts;
}

int64_t PostgresStore::add_regulation(std::string_view record, int64_t now_ms) {
    std::lock_guard lock(writer_mutex_);
    return writer_.exec("INSERT INTO regulations(created_ms, record) VALUES($1, $2) RETURNING id",
                        pg::Params().add(now_ms).add(record))
        .integer(0, 0);
}

std::vector<StoredRegulation> PostgresStore::regulations() {
    std::lock_guard lock(reader_mutex_);
    const pg::Result rows = reader_.exec("SELECT id, created_ms, record FROM regulations ORDER BY id");
    std::vector<StoredRegulation> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row)
        out.push_back({rows.integer(row, 0), rows.integer(row, 1), std::string(rows.text(row, 2))});
    return out;
}

void PostgresStore::update_regulation(int64_t id, std::string_view record) {
    std::lock_guard lock(writer_mutex_);
    writer_.exec("UPDATE regulations SET record = $2 WHERE id = $1", pg::Params().add(id).add(record));
}

size_t PostgresStore::purge_user_jobs(std::string_view destination, std::string_view user_key) {
    std::lock_guard lock(writer_mutex_);
    pg::Transaction transaction(writer_);
    const std::vector<int64_t> ids = column_of(
        writer_.exec("SELECT id FROM jobs WHERE destination = $1 AND user_key = $2", pg::Params().add(destination).add(user_key)), 0);
    DepthChanges depth;
    remove_jobs(ids, depth);
    write_depth(depth);
    transaction.commit();
    return ids.size();
}

size_t PostgresStore::purge_user_dead_letters(std::string_view destination, std::string_view user_key) {
    std::lock_guard lock(writer_mutex_);
    return static_cast<size_t>(writer_.exec("DELETE FROM dead_letters WHERE destination = $1 AND user_key = $2",
                                            pg::Params().add(destination).add(user_key))
                                   .affected());
}

int64_t PostgresStore::begin_plugin_call(std::string_view destination, std::span<const int64_t> job_ids) {
    return journal_->begin(destination, job_ids);
}

void PostgresStore::end_plugin_call(int64_t entry) { journal_->end(entry); }

// A job settled since its entry was written (delivered, dead-lettered, purged) is gone: no strike.
std::vector<CrashSuspects> PostgresStore::blame_crashed_plugin_calls(int64_t now_ms) {
    const std::vector<int64_t> job_ids = journal_->jobs_in_calls();
    std::map<std::string, CrashSuspects> blamed;
    if (!job_ids.empty()) {
        std::lock_guard lock(writer_mutex_);
        pg::Transaction transaction(writer_);
        const pg::Result struck = writer_.exec(
            "UPDATE jobs SET crash_strikes = crash_strikes + 1 WHERE id = ANY($1::bigint[]) RETURNING id, destination, crash_strikes",
            pg::Params().add(pg::array_literal(job_ids)));
        std::vector<int64_t> dead;
        for (int row = 0; row < struck.rows(); ++row) {
            CrashSuspects &found = blamed[std::string(struck.text(row, 1))];
            found.destination = struck.text(row, 1);
            if (struck.integer(row, 2) < kCrashStrikesToDeadLetter) {
                ++found.suspects;
                continue;
            }
            ++found.dead_lettered;
            dead.push_back(struck.integer(row, 0));
        }
        const std::vector<std::string> reasons(dead.size(), std::string(kCrashedTwice));
        DepthChanges depth;
        if (!dead.empty()) bury_jobs(dead, reasons, now_ms);
        remove_jobs(dead, depth);
        write_depth(depth);
        transaction.commit();
    }
    journal_->clear();
    std::vector<CrashSuspects> out;
    out.reserve(blamed.size());
    for (auto &[destination, suspects] : blamed) out.push_back(std::move(suspects));
    return out;
}

}  // namespace switchyard
