// A start that finds no database where an earlier store left traces must not silently begin an
// empty one: everything that store acknowledged would be gone without a word.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace switchyard {

// The traces of an earlier store in `data_dir` whose database file is missing, as a list for a
// message ("lock, switchyard.db-wal"); nullopt when the database exists or there is no trace.
// Call before taking the data directory's lock, which is one of the traces.
std::optional<std::string> traces_of_lost_database(const std::filesystem::path &data_dir);

// Removes the -wal and -shm files at the database's path when they belong to a lost database:
// SQLite would replay that old write-ahead log into whatever database is at the path next.
void remove_lost_database_journal(const std::filesystem::path &data_dir);

}  // namespace switchyard
