// The SQLite store's side of the crash journal (crash_journal.h): at start, the strikes and dead
// letters of the jobs a crash cut off in a plugin call.
#include "host/store/sqlite_statements.h"
#include "host/store/sqlite_store.h"

namespace switchyard {

int64_t SqliteStore::begin_plugin_call(std::string_view destination, std::span<const int64_t> job_ids) {
    return journal_.begin(destination, job_ids);
}

void SqliteStore::end_plugin_call(int64_t entry) { journal_.end(entry); }

std::vector<CrashSuspects> SqliteStore::blame_crashed_plugin_calls(int64_t now_ms) {
    const std::vector<int64_t> job_ids = journal_.jobs_in_calls();
    std::lock_guard lock(writer_mutex_);
    sqlite::Transaction transaction(writer_);
    sqlite::Statement add_strike(writer_, "UPDATE jobs SET crash_strikes = crash_strikes + 1 WHERE id = ?1 "
                                          "RETURNING destination, crash_strikes");
    DepthChanges depth;
    std::map<std::string, CrashSuspects> blamed;
    for (int64_t job_id : job_ids) strike(add_strike, job_id, now_ms, depth, blamed);
    depth.write(write_->add_depth);
    transaction.commit();
    journal_.clear();
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
    if (strikes < kCrashStrikesToDeadLetter) {
        ++found.suspects;
        return;
    }
    ++found.dead_lettered;
    write_->bury_job.bind(1, job_id).bind(2, kCrashedTwice).bind(3, now_ms).run();
    remove_job(job_id, depth);
}

}  // namespace switchyard
