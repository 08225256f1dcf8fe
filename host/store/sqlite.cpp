// RAII over SQLite connections and prepared statements; every error names the database file.
#include "host/store/sqlite.h"

#include <sqlite3.h>

namespace switchyard::sqlite {

Statement::Statement(Connection &connection, std::string_view sql) : connection_(connection) {
    // PERSISTENT: these statements live as long as the connection, so SQLite keeps them out of
    // its lookaside memory.
    if (sqlite3_prepare_v3(connection.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &handle_, nullptr) != SQLITE_OK)
        connection.fail("prepare \"" + std::string(sql.substr(0, 60)) + "\"");
}

Statement::~Statement() { sqlite3_finalize(handle_); }

Statement &Statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(handle_, index, value) != SQLITE_OK) connection_.fail("bind a value");
    return *this;
}

Statement &Statement::bind(int index, std::string_view text) {
    if (sqlite3_bind_text64(handle_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
        connection_.fail("bind a value");
    return *this;
}

bool Statement::step() {
    const int code = sqlite3_step(handle_);
    if (code != SQLITE_ROW && code != SQLITE_DONE)
        connection_.fail("run \"" + std::string(std::string_view(sqlite3_sql(handle_)).substr(0, 60)) + "\"", code);
    return code == SQLITE_ROW;
}

void Statement::run() {
    ResetOnExit reset_on_exit(*this);
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(handle_);  // its code repeats the last step's error, already reported
    sqlite3_clear_bindings(handle_);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(handle_, column); }

std::string_view Statement::text(int column) const {
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(handle_, column));
    const int size = sqlite3_column_bytes(handle_, column);
    return data ? std::string_view(data, static_cast<size_t>(size)) : std::string_view();
}

Connection::Connection(const std::filesystem::path &file) : file_(file) {
    // NOMUTEX: each connection is guarded by its owner's mutex, so SQLite's own is redundant.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int code = sqlite3_open_v2(file.c_str(), &handle_, flags, nullptr);
    if (code != SQLITE_OK) {
        const std::string message = handle_ ? sqlite3_errmsg(handle_) : sqlite3_errstr(code);
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw std::runtime_error("Store " + file.string() + ": could not open the database: " + message);
    }
    sqlite3_extended_result_codes(handle_, 1);
    // SQLite quietly falls back to read-only for a write-protected file; a store must write.
    if (sqlite3_db_readonly(handle_, "main") == 1) {
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw std::runtime_error("Store " + file.string() + ": could not open the database for writing: permission denied");
    }
}

Connection::~Connection() { sqlite3_close_v2(handle_); }

void Connection::exec(const std::string &sql) {
    if (sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        fail("run \"" + sql.substr(0, 60) + "\"");
}

int64_t Connection::query_integer(const std::string &sql) {
    Statement statement(*this, sql);
    ResetOnExit reset(statement);
    if (!statement.step()) fail("read \"" + sql + "\"");
    return statement.integer(0);
}

int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(handle_); }

int64_t Connection::changes() const { return sqlite3_changes64(handle_); }

void Connection::fail(std::string_view doing) const { fail(doing, sqlite3_extended_errcode(handle_)); }

void Connection::fail(std::string_view doing, int code) const {
    std::string message = sqlite3_errmsg(handle_);
    if (message == "not an error") message = sqlite3_errstr(code);
    throw std::runtime_error("Store " + file_.string() + ": could not " + std::string(doing) + ": " + message);
}

Transaction::Transaction(Connection &connection, bool write) : connection_(connection) {
    connection_.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (open_) sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    connection_.exec("COMMIT");
    open_ = false;
}

}  // namespace switchyard::sqlite
