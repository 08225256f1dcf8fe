// RAII over SQLite connections and prepared statements; every error names the database file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace switchyard::sqlite {

class Connection;

// A prepared statement, kept for the life of its connection and reused. Not thread-safe: the
// connection's owner serialises its use.
class Statement {
   public:
    Statement(Connection &connection, std::string_view sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Parameters are 1-based, as in SQL's ?1, ?2 ...; text is copied by SQLite.
    Statement &bind(int index, int64_t value);
    Statement &bind(int index, std::string_view text);

    // Advances to the next row: true when one is ready, false when the statement is done.
    bool step();
    // Runs a statement that returns no rows to completion, then resets it.
    void run();
    // Ends the current execution (so no read snapshot stays open) and clears the bindings.
    void reset();

    int64_t integer(int column) const;
    // Valid until the next step() or reset().
    std::string_view text(int column) const;

   private:
    Connection &connection_;
    sqlite3_stmt *handle_ = nullptr;
};

// Resets a statement when leaving scope, also when an exception passes through.
class ResetOnExit {
   public:
    explicit ResetOnExit(Statement &statement) : statement_(statement) {}
    ~ResetOnExit() { statement_.reset(); }
    ResetOnExit(const ResetOnExit &) = delete;
    ResetOnExit &operator=(const ResetOnExit &) = delete;

   private:
    Statement &statement_;
};

class Connection {
   public:
    // Opens (creating when missing) the database file, read-write. Throws std::runtime_error.
    explicit Connection(const std::filesystem::path &file);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // Runs one or more statements that return no rows.
    void exec(const std::string &sql);
    // The single integer a query such as "PRAGMA user_version" answers.
    int64_t query_integer(const std::string &sql);
    int64_t last_insert_id() const;
    // Rows the last INSERT, UPDATE or DELETE changed (not counting what its triggers changed).
    int64_t changes() const;

    // Throws "Store <file>: <doing>: <SQLite's message>".
    [[noreturn]] void fail(std::string_view doing) const;
    [[noreturn]] void fail(std::string_view doing, int code) const;

    sqlite3 *handle() const { return handle_; }
    const std::filesystem::path &file() const { return file_; }

   private:
    std::filesystem::path file_;
    sqlite3 *handle_ = nullptr;
};

// A write transaction taken with BEGIN IMMEDIATE (the write lock up front, so it never fails
// half-way on a lock upgrade); rolled back unless commit() was reached.
class Transaction {
   public:
    explicit Transaction(Connection &connection, bool write = true);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

   private:
    Connection &connection_;
    bool open_ = true;
};

}  // namespace switchyard::sqlite
