// The store's SQLite schema: connection settings, and migrations keyed by PRAGMA user_version.
#pragma once

#include "host/store/sqlite.h"

namespace switchyard::sqlite {

// The schema version this build writes; a database from a newer build is refused.
constexpr int kSchemaVersion = 6;

// Settings every connection needs: WAL, synchronous=FULL, busy timeout.
void configure_connection(Connection &connection);

// The crash journal's connection: as configure_connection, but commits are not fsynced.
void configure_journal_connection(Connection &connection);

// Brings the database up to kSchemaVersion, each step in its own transaction.
void migrate(Connection &connection);

}  // namespace switchyard::sqlite
