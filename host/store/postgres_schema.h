// The PostgreSQL store's schema, kept by numbered migrations in its schema_version table.
#pragma once

#include "host/store/postgres.h"

namespace switchyard::pg {

// Users are hashed into this many partitions (partition_leases.h); fixed by the schema.
inline constexpr int kPartitions = 64;

// Brings the database to the newest schema this build knows. Hosts starting together take
// turns (an advisory lock), so each migration runs once. Throws std::runtime_error when the
// database was migrated by a newer switchyard.
void migrate(Connection &connection);

}  // namespace switchyard::pg
