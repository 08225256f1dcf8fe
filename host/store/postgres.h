// A thin RAII layer over libpq for the PostgreSQL store: connections that reconnect after the
// server went away, results, transactions, and the array literals that let one statement carry
// a whole batch (one round trip for many rows).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::pg {

class Result {
   public:
    explicit Result(PGresult *result) : result_(result, PQclear) {}
    int rows() const { return PQntuples(result_.get()); }
    std::string_view text(int row, int column) const {
        return {PQgetvalue(result_.get(), row, column), static_cast<size_t>(PQgetlength(result_.get(), row, column))};
    }
    int64_t integer(int row, int column) const;
    bool null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
    int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched
    ExecStatusType status() const { return PQresultStatus(result_.get()); }

   private:
    std::unique_ptr<PGresult, void (*)(PGresult *)> result_;
};

// Parameters travel as text; a statement's $1..$N are given in order.
class Params {
   public:
    Params &add(std::string_view text) {
        values_.emplace_back(text);
        return *this;
    }
    Params &add(int64_t number) {
        values_.push_back(std::to_string(number));
        return *this;
    }
    const std::vector<std::string> &values() const { return values_; }

   private:
    std::vector<std::string> values_;
};

// One libpq connection; not thread-safe (each user keeps it behind a mutex or on one thread).
class Connection {
   public:
    // Connects to `url`; `shown` (the URL without its password) names the server in errors.
    // Throws std::runtime_error when the server cannot be reached or refuses.
    Connection(const std::string &url, std::string shown);

    // Runs one statement. A connection found broken outside a transaction is re-established
    // first (the server restarted); inside one, the statement fails: what the transaction wrote
    // is gone with the old connection. Throws std::runtime_error with the server's message.
    Result exec(std::string_view sql, const Params &params = {});
    // Several statements without parameters (schema scripts).
    void exec_script(std::string_view sql);

    PGconn *raw() { return connection_.get(); }
    const std::string &shown() const { return shown_; }

   private:
    friend class Transaction;
    void reconnect_if_broken();
    [[noreturn]] void fail(std::string_view what) const;

    bool in_transaction_ = false;
    std::string shown_;
    std::unique_ptr<PGconn, void (*)(PGconn *)> connection_;
};

// BEGIN on construction; ROLLBACK on destruction unless committed.
class Transaction {
   public:
    explicit Transaction(Connection &connection);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

   private:
    Connection &connection_;
    bool done_ = false;
};

// Array literals for parameters like $1::bigint[] and $1::text[].
std::string array_literal(std::span<const int64_t> numbers);
std::string array_literal(std::span<const int> numbers);
std::string array_literal(std::span<const std::string_view> texts);
std::string array_literal(std::span<const std::string> texts);

}  // namespace switchyard::pg
