// Opening the store: directory and file modes, and a clear sentence naming the file when it fails.
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "host/store/sqlite_schema.h"
#include "host/store/store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

std::string open_error(const std::filesystem::path &data_dir) {
    try {
        open_sqlite_store(data_dir);
    } catch (const std::runtime_error &e) {
        return e.what();
    }
    return "opened";
}

mode_t mode_of(const std::filesystem::path &path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
}

TEST(SqliteStoreOpen, CreatesAMissingDataDirReadableByItsOwnerOnly) {
    TempDataDir dir;
    const auto data_dir = dir.path() / "nested" / "var";
    open_sqlite_store(data_dir);
    EXPECT_EQ(mode_of(data_dir), 0700u);
    EXPECT_EQ(mode_of(data_dir / "switchyard.db"), 0600u);
}

TEST(SqliteStoreOpen, ACorruptFileIsNamed) {
    TempDataDir dir;
    std::ofstream(dir.path() / "switchyard.db") << std::string(8192, 'x');
    const std::string error = open_error(dir.path());
    EXPECT_NE(error.find((dir.path() / "switchyard.db").string()), std::string::npos) << error;
    EXPECT_NE(error.find("file is not a database"), std::string::npos) << error;
}

TEST(SqliteStoreOpen, ADataDirThatCannotBeCreatedIsNamed) {
    TempDataDir dir;
    std::ofstream(dir.path() / "a-file") << "x";
    const std::string error = open_error(dir.path() / "a-file" / "var");
    EXPECT_NE(error.find((dir.path() / "a-file" / "var" / "switchyard.db").string()), std::string::npos) << error;
    EXPECT_NE(error.find("could not create the data directory"), std::string::npos) << error;
}

TEST(SqliteStoreOpen, ADatabasePathThatIsADirectoryIsNamed) {
    TempDataDir dir;
    std::filesystem::create_directory(dir.path() / "switchyard.db");
    const std::string error = open_error(dir.path());
    EXPECT_NE(error.find((dir.path() / "switchyard.db").string()), std::string::npos) << error;
}

TEST(SqliteStoreOpen, AReadOnlyDataDirIsNamed) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes through file modes";
    TempDataDir dir;
    open_sqlite_store(dir.path());
    std::filesystem::permissions(dir.path() / "switchyard.db", std::filesystem::perms::owner_read);
    const std::string error = open_error(dir.path());
    EXPECT_NE(error.find((dir.path() / "switchyard.db").string()), std::string::npos) << error;
}

TEST(SqliteStoreOpen, RecordsTheSchemaVersionAndRefusesANewerOne) {
    TempDataDir dir;
    open_sqlite_store(dir.path());
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / "switchyard.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt *statement = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr);
    sqlite3_step(statement);
    EXPECT_EQ(sqlite3_column_int(statement, 0), sqlite::kSchemaVersion);
    sqlite3_finalize(statement);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const std::string error = open_error(dir.path());
    EXPECT_NE(error.find("schema version 99 was written by a newer switchyard"), std::string::npos) << error;
}

TEST(SqliteStoreOpen, UsesWriteAheadLogging) {
    TempDataDir dir;
    const auto store = open_sqlite_store(dir.path());
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "switchyard.db-wal"));
}

}  // namespace
}  // namespace switchyard::testing
