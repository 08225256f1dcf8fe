// The store's SQLite schema: connection settings, and migrations keyed by PRAGMA user_version.
#include "host/store/sqlite_schema.h"

#include <array>
#include <string>

namespace switchyard::sqlite {
namespace {

// Another process (the dead-letter CLI beside a running host) may hold the write lock for a
// commit; waiting this long covers any commit, and still fails rather than hanging forever.
constexpr int kBusyTimeoutMs = 10'000;

// Migration N brings user_version from N to N+1. Only ever append.
//  - The payload is stored once per event; each (event, destination) is a job.
//  - jobs and dead_letters use AUTOINCREMENT so an id is never reused: a stale settlement or
//    an operator's `replay --id` can never hit a newer row.
//  - Foreign keys are declared for the reader but not enforced: the store's own transactions
//    keep them, and enforcement would add a lookup to every job insert.
constexpr std::array<const char *, kSchemaVersion> kMigrations = {
    R"sql(
CREATE TABLE events(
  id         INTEGER PRIMARY KEY,
  payload    TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE jobs(
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         INTEGER NOT NULL REFERENCES events(id),
  destination      TEXT NOT NULL,
  user_key         TEXT NOT NULL,
  created_ms       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL DEFAULT 0,
  first_failure_ms INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT);
CREATE INDEX jobs_claim ON jobs(destination, id);
CREATE INDEX jobs_age ON jobs(destination, created_ms);
CREATE INDEX jobs_event ON jobs(event_id);
CREATE TABLE dead_letters(
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id      INTEGER NOT NULL,
  destination TEXT NOT NULL,
  user_key    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  created_ms  INTEGER NOT NULL,
  failed_ms   INTEGER NOT NULL);
CREATE INDEX dead_letters_destination ON dead_letters(destination, id);
)sql",
    // Version 2: each destination's number of pending jobs, kept by every transaction that adds
    // or removes jobs, so /metrics reads it instead of counting a backlog of millions each scrape.
    R"sql(
CREATE TABLE queue_depth(
  destination TEXT PRIMARY KEY,
  jobs        INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO queue_depth SELECT destination, COUNT(*) FROM jobs GROUP BY destination;
)sql",
    // Version 3: each destination's number of dead letters, for the switchyard_dead_letters
    // gauge. Triggers keep it, so every path that adds or deletes dead letters (dead-lettering,
    // replay, purge, and whatever comes later) counts without remembering to.
    R"sql(
CREATE TABLE dead_letter_count(
  destination TEXT PRIMARY KEY,
  letters     INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO dead_letter_count SELECT destination, COUNT(*) FROM dead_letters GROUP BY destination;
CREATE TRIGGER dead_letter_added AFTER INSERT ON dead_letters BEGIN
  INSERT INTO dead_letter_count(destination, letters) VALUES(NEW.destination, 1)
    ON CONFLICT(destination) DO UPDATE SET letters = letters + 1;
END;
CREATE TRIGGER dead_letter_removed AFTER DELETE ON dead_letters BEGIN
  UPDATE dead_letter_count SET letters = letters - 1 WHERE destination = OLD.destination;
END;
)sql",
    // Version 4: the source of each event, kept through dead-lettering and replay, so that
    // delivery uses the instance of that source's connection (a per-source settings override).
    R"sql(
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE dead_letters ADD COLUMN source TEXT NOT NULL DEFAULT '';
)sql",
    // Version 5: regulations (user suppression and deletion, host/regulation/), each one's record
    // as JSON the regulation module owns, updated as it progresses.
    R"sql(
CREATE TABLE IF NOT EXISTS regulations(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  created_ms INTEGER NOT NULL,
  record     TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_user ON jobs(destination, user_key);
CREATE INDEX IF NOT EXISTS dead_letters_user ON dead_letters(destination, user_key);
)sql",
    // Version 6: crash_strikes counts the crashes of the host a job was in flight during (the
    // crash journal, sqlite_crash_journal.cpp, keeps which jobs are in a call in a file of its own).
    R"sql(
ALTER TABLE jobs ADD COLUMN crash_strikes INTEGER NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

void configure_connection(Connection &connection) {
    connection.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
    // journal_mode is the first statement that reads the file: a corrupt or foreign file
    // fails here, with SQLite's "file is not a database".
    connection.exec("PRAGMA journal_mode = WAL");
    // FULL: each commit fsyncs the WAL, so an acknowledged event survives power loss.
    connection.exec("PRAGMA synchronous = FULL");
    connection.exec("PRAGMA foreign_keys = OFF");
    // wal_autocheckpoint stays at SQLite's 1000 pages: checkpoints run in the committing thread,
    // and bench/store_bench measured the same throughput with 4000 but a p99 append latency of
    // ~43 ms instead of ~18 ms.
}

// The crash journal is a database of its own, so that its two writes per batch on the delivery
// path never wait for the store's writer and its fsyncs. OFF: it need only survive a crash of
// the process, and the kernel still holds what was written; WAL's checksums make a write cut by
// the crash read as never made.
void configure_journal_connection(Connection &connection) {
    connection.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
    connection.exec("PRAGMA journal_mode = WAL");
    connection.exec("PRAGMA synchronous = OFF");
    connection.exec("CREATE TABLE IF NOT EXISTS crash_journal(id INTEGER PRIMARY KEY, destination TEXT NOT NULL, "
                    "job_ids TEXT NOT NULL)");
}

void migrate(Connection &connection) {
    const int64_t found = connection.query_integer("PRAGMA user_version");
    if (found > kSchemaVersion)
        throw std::runtime_error("Store " + connection.file().string() + ": schema version " + std::to_string(found) +
                                 " was written by a newer switchyard; this one knows up to " +
                                 std::to_string(kSchemaVersion));
    for (int64_t version = found; version < kSchemaVersion; ++version) {
        Transaction transaction(connection);
        // Re-read under the write lock: another process may have migrated meanwhile.
        if (connection.query_integer("PRAGMA user_version") != version) continue;
        connection.exec(kMigrations[static_cast<size_t>(version)]);
        connection.exec("PRAGMA user_version = " + std::to_string(version + 1));
        transaction.commit();
    }
}

}  // namespace switchyard::sqlite
