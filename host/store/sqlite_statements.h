// The SQL of the SQLite store, prepared once per connection (shared by its .cpp files).
#pragma once

#include "host/store/sqlite.h"
#include "host/store/sqlite_store.h"

namespace switchyard {

// Used under the writer mutex only.
struct SqliteStore::WriterStatements {
    explicit WriterStatements(sqlite::Connection &c)
        : insert_event(c, "INSERT INTO events(payload, created_ms, source) VALUES(?1, ?2, ?3)"),
          insert_job(c, "INSERT INTO jobs(event_id, destination, user_key, created_ms) VALUES(?1, ?2, ?3, ?4)"),
          delete_job(c, "DELETE FROM jobs WHERE id = ?1 RETURNING event_id, destination"),
          add_depth(c, "INSERT INTO queue_depth(destination, jobs) VALUES(?1, ?2) "
                       "ON CONFLICT(destination) DO UPDATE SET jobs = jobs + ?2"),
          delete_event_without_jobs(c, "DELETE FROM events WHERE id = ?1 AND NOT EXISTS "
                                       "(SELECT 1 FROM jobs WHERE event_id = ?1)"),
          retry_job(c, "UPDATE jobs SET attempts = attempts + 1, next_attempt_ms = ?2, last_error = ?3, "
                       "first_failure_ms = CASE first_failure_ms WHEN 0 THEN ?4 ELSE first_failure_ms END "
                       "WHERE id = ?1"),
          bury_job(c, "INSERT INTO dead_letters(job_id, destination, user_key, payload, reason, attempts, "
                      "created_ms, failed_ms, source) SELECT j.id, j.destination, j.user_key, e.payload, ?2, "
                      "j.attempts + 1, j.created_ms, ?3, e.source FROM jobs j JOIN events e ON e.id = j.event_id "
                      "WHERE j.id = ?1"),
          dead_letters_all(c, "SELECT id FROM dead_letters ORDER BY job_id"),
          dead_letters_of(c, "SELECT id FROM dead_letters WHERE destination = ?1 ORDER BY job_id"),
          dead_letter_order(c, "SELECT job_id, destination FROM dead_letters WHERE id = ?1"),
          revive_event(c, "INSERT INTO events(payload, created_ms, source) SELECT payload, created_ms, source FROM dead_letters "
                          "WHERE id = ?1"),
          revive_job(c, "INSERT INTO jobs(event_id, destination, user_key, created_ms) "
                        "SELECT ?2, destination, user_key, created_ms FROM dead_letters WHERE id = ?1 "
                        "RETURNING destination"),
          delete_dead_letter(c, "DELETE FROM dead_letters WHERE id = ?1"),
          purge_one(c, "DELETE FROM dead_letters WHERE id = ?1 AND (?2 = '' OR destination = ?2)"),
          purge_failed_before(c, "DELETE FROM dead_letters WHERE failed_ms < ?1 AND (?2 = '' OR destination = ?2)") {}

    sqlite::Statement insert_event, insert_job;
    sqlite::Statement delete_job, add_depth, delete_event_without_jobs, retry_job, bury_job;
    sqlite::Statement dead_letters_all, dead_letters_of, dead_letter_order;
    sqlite::Statement revive_event, revive_job, delete_dead_letter;
    sqlite::Statement purge_one, purge_failed_before;
};

// Used under the reader mutex only.
struct SqliteStore::ReaderStatements {
    explicit ReaderStatements(sqlite::Connection &c)
        : pending_jobs(c, "SELECT id, user_key, next_attempt_ms, attempts, created_ms, first_failure_ms, event_id, "
                          "crash_strikes "
                          "FROM jobs WHERE destination = ?1 ORDER BY id LIMIT ?2"),
          payload(c, "SELECT payload, source FROM events WHERE id = ?1"),
          next_due(c, "SELECT COUNT(*), MIN(next_attempt_ms) FROM "
                      "(SELECT next_attempt_ms FROM jobs WHERE destination = ?1 ORDER BY id LIMIT ?2)"),
          data_version(c, "PRAGMA data_version"),
          queue_stats(c, "SELECT destination, jobs, (SELECT MIN(created_ms) FROM jobs WHERE jobs.destination = "
                         "queue_depth.destination) FROM queue_depth WHERE jobs > 0"),
          dead_letters_all(c, "SELECT id, destination, user_key, payload, reason, attempts, created_ms, failed_ms "
                              "FROM dead_letters ORDER BY id LIMIT ?1"),
          dead_letters_of(c, "SELECT id, destination, user_key, payload, reason, attempts, created_ms, failed_ms "
                             "FROM dead_letters WHERE destination = ?2 ORDER BY id LIMIT ?1"),
          dead_letter_counts(c, "SELECT destination, letters FROM dead_letter_count WHERE letters > 0") {}

    sqlite::Statement pending_jobs, payload, next_due, data_version, queue_stats, dead_letters_all, dead_letters_of, dead_letter_counts;
};

}  // namespace switchyard
