// Test databases on the test server: created with a unique name, dropped with whatever is still
// connected to them.
#include "tests/support/test_postgres.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string_view>

namespace switchyard::testing {
namespace {

constexpr const char *kServerVariable = "SWITCHYARD_TEST_POSTGRES";

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string first_line(const std::filesystem::path &file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// The server's URI from the folder postgres.sh wrote; empty with the reason when there is none.
std::string server_url(std::string &why_not) {
    const char *folder = std::getenv(kServerVariable);
    if (folder == nullptr || *folder == '\0') {
        why_not = std::string(kServerVariable) +
                  " is not set: run the test through ctest (its fixture \"postgres\" starts the server), or start one "
                  "with tests/support/postgres.sh start DIR and set it to DIR.";
        return {};
    }
    const std::filesystem::path dir(folder);
    if (std::filesystem::exists(dir / "unavailable")) {
        why_not = "No PostgreSQL for the tests: " + first_line(dir / "unavailable");
        return {};
    }
    std::string url = first_line(dir / "url");
    if (url.empty())
        why_not = "No PostgreSQL for the tests: " + (dir / "url").string() +
                  " is missing: the server did not start (ctest's output of the test postgres.start says why).";
    return url;
}

Connection connect(const std::string &url) {
    Connection connection(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK)
        throw std::runtime_error(std::string("could not connect to the test server: ") +
                                 PQerrorMessage(connection.get()));
    return connection;
}

Result run(PGconn *connection, const std::string &sql) {
    Result result(PQexec(connection, sql.c_str()), &PQclear);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error("\"" + sql + "\" failed: " + PQerrorMessage(connection));
    return result;
}

// Unique across the processes of a ctest run and across runs on one server.
std::string unique_name() {
    static std::atomic<int> counter{0};
    std::random_device random;
    return "switchyard_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
           std::to_string(random() % 1'000'000);
}

// The same server, another database: the URI's path is the database name.
std::string with_database(const std::string &url, const std::string &name) {
    return url.substr(0, url.rfind('/') + 1) + name;
}

}  // namespace

std::unique_ptr<TestDatabase> TestDatabase::create(std::string &why_not) {
    std::string server = server_url(why_not);
    if (server.empty()) return nullptr;
    std::string database = unique_name();
    try {
        run(connect(server).get(), "CREATE DATABASE " + database);
    } catch (const std::runtime_error &e) {
        why_not = std::string("No PostgreSQL for the tests: ") + e.what();
        return nullptr;
    }
    std::string database_url = with_database(server, database);
    return std::unique_ptr<TestDatabase>(
        new TestDatabase(std::move(server), std::move(database), std::move(database_url)));
}

TestDatabase::TestDatabase(std::string server_url, std::string name, std::string url)
    : server_url_(std::move(server_url)), name_(std::move(name)), url_(std::move(url)) {}

// A store a test left open holds connections: FORCE closes them rather than leaking the database.
TestDatabase::~TestDatabase() {
    try {
        run(connect(server_url_).get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::runtime_error &e) {
        std::cerr << "Test database " << name_ << " was not dropped: " << e.what() << '\n';
    }
}

std::string TestDatabase::query(const std::string &sql) const {
    const Connection connection = connect(url_);
    const Result result = run(connection.get(), sql);
    if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return {};
    return PQgetvalue(result.get(), 0, 0);
}

bool postgres_is_required() {
    const char *ci = std::getenv("CI");
    return ci != nullptr && std::string_view(ci) == "true";
}

}  // namespace switchyard::testing
