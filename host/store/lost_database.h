// A start that finds no database where an earlier store left traces must not silently begin an
// empty one: everything that store acknowledged would be gone without a word.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// The traces of an earlier store whose database file is missing, as a list for a message
// ("switchyard.db-wal, lock"); nullopt when the database exists or there is no trace. Traces are
// the database's -wal, -shm and -journal files, and `host_files`: the names of what a host leaves
// in its data directory (its lock file, so call this before taking the lock).
std::optional<std::string> traces_of_lost_database(const std::filesystem::path &database, const std::filesystem::path &data_dir,
                                                   std::initializer_list<std::string_view> host_files);

// Removes the -wal and -shm files at the database's path when they belong to a lost database:
// SQLite would replay that old write-ahead log into whatever database is at the path next.
void remove_lost_database_journal(const std::filesystem::path &database);

}  // namespace switchyard
