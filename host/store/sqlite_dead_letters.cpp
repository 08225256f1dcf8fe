// The SQLite store's operator views: queue depth per destination, dead letters and replay.
#include <algorithm>

#include "host/store/sqlite_statements.h"
#include "host/store/sqlite_store.h"

namespace switchyard {
namespace {

DeadLetter read_dead_letter(const sqlite::Statement &row) {
    return DeadLetter{row.integer(0),
                      std::string(row.text(1)),
                      std::string(row.text(2)),
                      std::string(row.text(3)),
                      std::string(row.text(4)),
                      static_cast<uint32_t>(row.integer(5)),
                      row.integer(6),
                      row.integer(7)};
}

// SQLite reads a negative LIMIT as "no limit"; a size_t beyond int64 means the same.
int64_t sql_limit(size_t limit) { return limit > static_cast<size_t>(INT64_MAX) ? -1 : static_cast<int64_t>(limit); }

}  // namespace

std::vector<QueueStats> SqliteStore::queue_stats() {
    std::lock_guard lock(reader_mutex_);
    sqlite::Statement &query = read_->queue_stats;
    sqlite::ResetOnExit reset(query);
    std::vector<QueueStats> stats;
    while (query.step())
        stats.push_back({std::string(query.text(0)), static_cast<uint64_t>(query.integer(1)), query.integer(2)});
    return stats;
}

std::vector<DeadLetter> SqliteStore::dead_letters(std::string_view destination, size_t limit) {
    std::lock_guard lock(reader_mutex_);
    sqlite::Statement &query = destination.empty() ? read_->dead_letters_all : read_->dead_letters_of;
    sqlite::ResetOnExit reset(query);
    query.bind(1, sql_limit(limit));
    if (!destination.empty()) query.bind(2, destination);
    std::vector<DeadLetter> letters;
    while (query.step()) letters.push_back(read_dead_letter(query));
    return letters;
}

// The chosen dead letters' ids in their jobs' original arrival order. Ids that do not exist,
// or belong to another destination than the one asked for, are left out.
std::vector<int64_t> SqliteStore::dead_letters_to_replay(std::string_view destination, std::span<const int64_t> ids) {
    std::vector<int64_t> chosen;
    if (ids.empty()) {
        sqlite::Statement &query = destination.empty() ? write_->dead_letters_all : write_->dead_letters_of;
        sqlite::ResetOnExit reset(query);
        if (!destination.empty()) query.bind(1, destination);
        while (query.step()) chosen.push_back(query.integer(0));
        return chosen;
    }
    std::vector<std::pair<int64_t, int64_t>> by_job;  // (original job id, dead letter id)
    for (int64_t id : ids) {
        sqlite::Statement &lookup = write_->dead_letter_order;
        sqlite::ResetOnExit reset(lookup);
        if (lookup.bind(1, id).step() && (destination.empty() || lookup.text(1) == destination))
            by_job.emplace_back(lookup.integer(0), id);
    }
    std::sort(by_job.begin(), by_job.end());
    by_job.erase(std::unique(by_job.begin(), by_job.end()), by_job.end());  // an id given twice
    for (const auto &entry : by_job) chosen.push_back(entry.second);
    return chosen;
}

// Each dead letter becomes a new event and a fresh job (attempts 0, due now) in one
// transaction; the payload is copied inside SQLite and never loaded here.
size_t SqliteStore::replay(std::string_view destination, std::span<const int64_t> ids, int64_t /*now_ms*/) {
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    const std::vector<int64_t> chosen = dead_letters_to_replay(destination, ids);
    DepthChanges depth;
    for (int64_t id : chosen) {
        write_->revive_event.bind(1, id).run();
        sqlite::Statement &revive = write_->revive_job;
        sqlite::ResetOnExit reset(revive);
        if (revive.bind(1, id).bind(2, writer_.last_insert_id()).step()) depth.add(revive.text(0), 1);
        while (revive.step()) {
        }
        write_->delete_dead_letter.bind(1, id).run();
    }
    depth.write(write_->add_depth);
    transaction.commit();
    return chosen.size();
}

size_t SqliteStore::purge(const PurgeSelection &selection) {
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    int64_t purged = 0;
    for (int64_t id : selection.ids) {
        write_->purge_one.bind(1, id).bind(2, selection.destination).run();
        purged += writer_.changes();
    }
    if (selection.ids.empty()) {
        write_->purge_failed_before.bind(1, selection.failed_before_ms.value_or(INT64_MAX))
            .bind(2, selection.destination)
            .run();
        purged = writer_.changes();
    }
    transaction.commit();
    return static_cast<size_t>(purged);
}

std::map<std::string, uint64_t> SqliteStore::dead_letter_counts() {
    std::lock_guard lock(reader_mutex_);
    sqlite::Statement &query = read_->dead_letter_counts;
    sqlite::ResetOnExit reset(query);
    std::map<std::string, uint64_t> counts;
    while (query.step()) counts.emplace(query.text(0), static_cast<uint64_t>(query.integer(1)));
    return counts;
}

}  // namespace switchyard
