// The shared store suite's two stores: SQLite in a data directory, PostgreSQL on a test database.
#include "tests/store/store_backend.h"

#include <sqlite3.h>

#include <stdexcept>

namespace switchyard::testing {
namespace {

class SqliteBackend : public StoreBackend {
   public:
    explicit SqliteBackend(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}
    std::unique_ptr<Store> open() override { return open_sqlite_store(data_dir_); }
    std::unique_ptr<Store> open_for_command() override { return open_sqlite_store(data_dir_); }
    int64_t count_rows(const std::string &table_and_where) override {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(sqlite_store_file(data_dir_).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *statement = nullptr;
        const bool counted =
            sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM " + table_and_where).c_str(), -1, &statement, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW;
        const int64_t n = counted ? sqlite3_column_int64(statement, 0) : -1;
        const std::string error = sqlite3_errmsg(db);
        sqlite3_finalize(statement);
        sqlite3_close(db);
        if (!counted) throw std::runtime_error("counting " + table_and_where + " failed: " + error);
        return n;
    }

   private:
    std::filesystem::path data_dir_;
};

class PostgresBackend : public StoreBackend {
   public:
    PostgresBackend(const TestDatabase &database, std::filesystem::path data_dir)
        : database_(database), data_dir_(std::move(data_dir)) {}
    std::unique_ptr<Store> open() override { return open_store(data_dir_, true); }
    std::unique_ptr<Store> open_for_command() override { return open_store({}, false); }
    int64_t count_rows(const std::string &table_and_where) override {
        return std::stoll(database_.query("SELECT COUNT(*) FROM " + table_and_where));
    }

   private:
    std::unique_ptr<Store> open_store(const std::filesystem::path &data_dir, bool delivers) const {
        PostgresStoreOptions options;
        options.url = database_.url();
        options.data_dir = data_dir;
        options.delivers = delivers;
        return open_postgres_store(options);
    }

    const TestDatabase &database_;
    std::filesystem::path data_dir_;
};

}  // namespace

std::unique_ptr<StoreBackend> sqlite_backend(const std::filesystem::path &data_dir) {
    return std::make_unique<SqliteBackend>(data_dir);
}

std::unique_ptr<StoreBackend> postgres_backend(const TestDatabase &database, const std::filesystem::path &data_dir) {
    return std::make_unique<PostgresBackend>(database, data_dir);
}

}  // namespace switchyard::testing
