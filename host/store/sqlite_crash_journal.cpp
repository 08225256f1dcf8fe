// The SQLite store's crash journal: which jobs are in a plugin call inside the host process, and
// at start, the strikes and dead letters of the jobs a crash cut off in one.
#include <charconv>

#include "host/store/sqlite_statements.h"
#include "host/store/sqlite_store.h"

namespace switchyard {
namespace {

constexpr int64_t kStrikesToDeadLetter = 2;  // the first crash may have been a batch-mate's
constexpr std::string_view kCrashedTwice =
    "plugin crashed the host twice while this event was in flight (in-process; consider isolation: process)";

std::string joined(std::span<const int64_t> ids) {
    std::string text;
    for (int64_t id : ids) {
        if (!text.empty()) text += ',';
        text += std::to_string(id);
    }
    return text;
}

void append_ids(std::string_view text, std::vector<int64_t> &ids) {
    for (const char *at = text.data(), *end = text.data() + text.size(); at < end; ++at) {
        int64_t id = 0;
        at = std::from_chars(at, end, id).ptr;
        ids.push_back(id);
    }
}

}  // namespace

// Cheap because not fsynced and not behind the store's writer (configure_journal_connection).
int64_t SqliteStore::begin_plugin_call(std::string_view destination, std::span<const int64_t> job_ids) {
    std::lock_guard lock(journal_mutex_);
    journaling_->insert_entry.bind(1, destination).bind(2, joined(job_ids)).run();
    return journal_.last_insert_id();
}

void SqliteStore::end_plugin_call(int64_t entry) {
    std::lock_guard lock(journal_mutex_);
    journaling_->delete_entry.bind(1, entry).run();
}

std::vector<CrashSuspects> SqliteStore::blame_crashed_plugin_calls(int64_t now_ms) {
    std::lock_guard journal_lock(journal_mutex_);
    std::vector<int64_t> job_ids;
    {
        sqlite::Statement entries(journal_, "SELECT job_ids FROM crash_journal");
        sqlite::ResetOnExit reset(entries);
        while (entries.step()) append_ids(entries.text(0), job_ids);
    }
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    sqlite::Statement add_strike(writer_, "UPDATE jobs SET crash_strikes = crash_strikes + 1 WHERE id = ?1 "
                                          "RETURNING destination, crash_strikes");
    DepthChanges depth;
    std::map<std::string, CrashSuspects> blamed;
    for (int64_t job_id : job_ids) strike(add_strike, job_id, now_ms, depth, blamed);
    depth.write(write_->add_depth);
    transaction.commit();
    journal_.exec("DELETE FROM crash_journal");  // after the strikes are durable: a crash in between adds some twice, loses none
    std::vector<CrashSuspects> out;
    out.reserve(blamed.size());
    for (auto &[destination, suspects] : blamed) out.push_back(std::move(suspects));
    return out;
}

// A job settled since its entry was written (delivered, dead-lettered, purged) is gone: no strike.
void SqliteStore::strike(sqlite::Statement &add_strike, int64_t job_id, int64_t now_ms, DepthChanges &depth,
                         std::map<std::string, CrashSuspects> &blamed) {
    sqlite::ResetOnExit reset(add_strike);
    if (!add_strike.bind(1, job_id).step()) return;
    const std::string destination(add_strike.text(0));
    const int64_t strikes = add_strike.integer(1);
    while (add_strike.step()) {
    }
    CrashSuspects &found = blamed[destination];
    found.destination = destination;
    if (strikes < kStrikesToDeadLetter) {
        ++found.suspects;
        return;
    }
    ++found.dead_lettered;
    write_->bury_job.bind(1, job_id).bind(2, kCrashedTwice).bind(3, now_ms).run();
    remove_job(job_id, depth);
}

bool SqliteStore::take_suspect_lane(int64_t job_id) {
    int64_t none = 0;
    return suspect_in_flight_.compare_exchange_strong(none, job_id);
}

}  // namespace switchyard
