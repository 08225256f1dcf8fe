// libpq behind RAII: connections that reconnect, results, transactions, array literals.
#include "host/store/postgres.h"

#include <charconv>
#include <stdexcept>

#include "host/log/log.h"

namespace switchyard::pg {
namespace {

// libpq's messages end with a newline and may span lines; a log line wants one.
std::string one_line(std::string_view message) {
    std::string line(message);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    for (char &c : line)
        if (c == '\n') c = ' ';
    return log::redact(line);
}

// Text with every backslash and double quote escaped, in double quotes: an array element.
void append_quoted(std::string &out, std::string_view text) {
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

template <typename Range>
std::string texts_literal(const Range &texts) {
    std::string out = "{";
    for (const auto &text : texts) {
        if (out.size() > 1) out += ',';
        append_quoted(out, text);
    }
    return out + "}";
}

// Defaults the URL may override: a server that does not answer, or a connection that went
// silent (a host cut off from the database), fails within seconds instead of hanging a
// commit or the lease thread for the kernel's minutes.
PGconn *connect(const std::string &url) {
    const char *keywords[] = {"connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
                              "tcp_user_timeout", "dbname", nullptr};
    const char *values[] = {"10", "5", "2", "3", "10000", url.c_str(), nullptr};
    return PQconnectdbParams(keywords, values, 1);  // 1: dbname is the URL, expanded after the defaults
}

template <typename Number>
std::string numbers_literal(std::span<const Number> numbers) {
    std::string out = "{";
    for (Number n : numbers) {
        if (out.size() > 1) out += ',';
        out += std::to_string(n);
    }
    return out + "}";
}

}  // namespace

int64_t Result::integer(int row, int column) const {
    const std::string_view value = text(row, column);
    int64_t number = 0;
    std::from_chars(value.data(), value.data() + value.size(), number);
    return number;
}

int64_t Result::affected() const {
    const char *count = PQcmdTuples(result_.get());
    int64_t number = 0;
    std::from_chars(count, count + std::char_traits<char>::length(count), number);
    return number;
}

Connection::Connection(const std::string &url, std::string shown)
    : shown_(std::move(shown)), connection_(connect(url), PQfinish) {
    if (!connection_) throw std::runtime_error("Store " + shown_ + ": out of memory connecting");
    if (PQstatus(connection_.get()) != CONNECTION_OK) fail("could not connect");
    // Notices ("relation already exists, skipping") would go to stderr unformatted.
    PQsetNoticeProcessor(connection_.get(), [](void *, const char *) {}, nullptr);
}

void Connection::reconnect_if_broken() {
    if (PQstatus(connection_.get()) == CONNECTION_OK) return;
    if (in_transaction_) fail("lost the connection in a transaction");
    PQreset(connection_.get());
    if (PQstatus(connection_.get()) != CONNECTION_OK) fail("lost the connection and could not reconnect");
    log::warn("store", "Reconnected to " + shown_ + ".");
}

Result Connection::exec(std::string_view sql, const Params &params) {
    reconnect_if_broken();
    std::vector<const char *> values;
    values.reserve(params.values().size());
    for (const std::string &value : params.values()) values.push_back(value.c_str());
    const std::string statement(sql);
    Result result(PQexecParams(connection_.get(), statement.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = result.status();
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("a statement failed");
    return result;
}

void Connection::exec_script(std::string_view sql) {
    reconnect_if_broken();
    const std::string script(sql);
    Result result(PQexec(connection_.get(), script.c_str()));
    if (result.status() != PGRES_COMMAND_OK) fail("a schema statement failed");
}

void Connection::fail(std::string_view what) const {
    throw std::runtime_error("Store " + shown_ + ": " + std::string(what) + ": " +
                             one_line(connection_ ? PQerrorMessage(connection_.get()) : ""));
}

// libpq learns that the server closed a connection (a restart, a failover) only when a statement
// fails on it. BEGIN has done nothing yet, so it is tried once more, on a new connection.
Transaction::Transaction(Connection &connection) : connection_(connection) {
    try {
        connection_.exec("BEGIN");
    } catch (const std::runtime_error &) {
        if (PQstatus(connection_.raw()) == CONNECTION_OK) throw;
        connection_.exec("BEGIN");
    }
    connection_.in_transaction_ = true;
}

Transaction::~Transaction() {
    if (done_) return;
    // A broken connection has nothing to roll back: the server dropped the transaction with it.
    if (PQstatus(connection_.raw()) == CONNECTION_OK) PQclear(PQexec(connection_.raw(), "ROLLBACK"));
    connection_.in_transaction_ = false;
}

void Transaction::commit() {
    connection_.exec("COMMIT");  // still in the transaction: a connection broken meanwhile fails it
    connection_.in_transaction_ = false;
    done_ = true;
}

std::string array_literal(std::span<const int64_t> numbers) { return numbers_literal(numbers); }
std::string array_literal(std::span<const int> numbers) { return numbers_literal(numbers); }

std::string array_literal(std::span<const std::string_view> texts) { return texts_literal(texts); }
std::string array_literal(std::span<const std::string> texts) { return texts_literal(texts); }

}  // namespace switchyard::pg
