// The PostgreSQL store's schema: the SQLite store's tables (sqlite_schema.cpp explains them) plus
// the partition leases of the hosts sharing the database, migrated under an advisory lock.
#include "host/store/postgres_schema.h"

#include <array>
#include <string>

namespace switchyard::pg {
namespace {

// Any number that no other user of the database takes as an advisory lock.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7391280547)";

// Migration N brings the version from N to N+1. Only ever append.
//  - jobs.user_partition is the user's partition (partition_leases.h): a host claims only the
//    jobs of the partitions it leases.
//  - queue_depth has a row per destination and slot: each host adds its changes to the row of its
//    own slot, so hosts committing at once do not wait for each other's row lock.
//  - dead_letter_count is kept by statement triggers, whatever adds or deletes dead letters.
//  - partition_leases: a lease's owner (a host's id, '' when free) holds it until expires_at, by
//    the database's clock, so the hosts' clocks need not agree. cluster_hosts: who is alive.
constexpr std::array<const char *, 1> kMigrations = {
    R"sql(
CREATE TABLE events(
  id         BIGSERIAL PRIMARY KEY,
  payload    TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  source     TEXT NOT NULL DEFAULT '');
CREATE TABLE jobs(
  id               BIGSERIAL PRIMARY KEY,
  event_id         BIGINT NOT NULL,
  destination      TEXT NOT NULL,
  user_key         TEXT NOT NULL,
  user_partition   INT NOT NULL,
  created_ms       BIGINT NOT NULL,
  attempts         INT NOT NULL DEFAULT 0,
  next_attempt_ms  BIGINT NOT NULL DEFAULT 0,
  first_failure_ms BIGINT NOT NULL DEFAULT 0,
  last_error       TEXT,
  crash_strikes    INT NOT NULL DEFAULT 0);
CREATE INDEX jobs_claim ON jobs(destination, id);
CREATE INDEX jobs_age ON jobs(destination, created_ms);
CREATE INDEX jobs_event ON jobs(event_id);
CREATE INDEX jobs_user ON jobs(destination, user_key);
CREATE TABLE dead_letters(
  id          BIGSERIAL PRIMARY KEY,
  job_id      BIGINT NOT NULL,
  destination TEXT NOT NULL,
  user_key    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  attempts    INT NOT NULL,
  created_ms  BIGINT NOT NULL,
  failed_ms   BIGINT NOT NULL,
  source      TEXT NOT NULL DEFAULT '');
CREATE INDEX dead_letters_destination ON dead_letters(destination, id);
CREATE INDEX dead_letters_user ON dead_letters(destination, user_key);
CREATE TABLE queue_depth(
  destination TEXT NOT NULL,
  slot        INT NOT NULL,
  jobs        BIGINT NOT NULL,
  PRIMARY KEY(destination, slot));
CREATE TABLE dead_letter_count(
  destination TEXT PRIMARY KEY,
  letters     BIGINT NOT NULL);
CREATE FUNCTION dead_letters_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dead_letter_count SELECT destination, COUNT(*) FROM added GROUP BY destination ORDER BY destination
    ON CONFLICT(destination) DO UPDATE SET letters = dead_letter_count.letters + EXCLUDED.letters;
  RETURN NULL;
END $$;
CREATE FUNCTION dead_letters_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dead_letter_count c SET letters = c.letters - r.n
    FROM (SELECT destination, COUNT(*) AS n FROM removed GROUP BY destination) r WHERE c.destination = r.destination;
  RETURN NULL;
END $$;
CREATE TRIGGER dead_letters_added AFTER INSERT ON dead_letters REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION dead_letters_added();
CREATE TRIGGER dead_letters_removed AFTER DELETE ON dead_letters REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION dead_letters_removed();
CREATE TABLE regulations(
  id         BIGSERIAL PRIMARY KEY,
  created_ms BIGINT NOT NULL,
  record     TEXT NOT NULL);
CREATE TABLE partition_leases(
  user_partition INT PRIMARY KEY,
  owner          TEXT NOT NULL DEFAULT '',
  expires_at     TIMESTAMPTZ NOT NULL DEFAULT '-infinity');
INSERT INTO partition_leases(user_partition) SELECT generate_series(0, 63);
CREATE TABLE cluster_hosts(
  id      TEXT PRIMARY KEY,
  seen_at TIMESTAMPTZ NOT NULL);
)sql",
};
static_assert(kPartitions == 64, "the first migration makes 64 partition leases");

}  // namespace

void migrate(Connection &connection) {
    Transaction transaction(connection);
    connection.exec(kMigrationLock);
    connection.exec("CREATE TABLE IF NOT EXISTS schema_version(version INT NOT NULL)");
    const Result found = connection.exec("SELECT version FROM schema_version");
    const int64_t version = found.rows() == 0 ? 0 : found.integer(0, 0);
    if (version > static_cast<int64_t>(kMigrations.size()))
        throw std::runtime_error("Store " + connection.shown() + ": schema version " + std::to_string(version) +
                                 " was written by a newer switchyard; this one knows up to " +
                                 std::to_string(kMigrations.size()));
    for (auto next = static_cast<size_t>(version); next < kMigrations.size(); ++next)
        connection.exec_script(kMigrations[next]);
    if (found.rows() == 0) connection.exec("INSERT INTO schema_version VALUES(0)");
    connection.exec("UPDATE schema_version SET version = $1", Params().add(static_cast<int64_t>(kMigrations.size())));
    transaction.commit();
}

}  // namespace switchyard::pg
