// A fresh PostgreSQL database per test, on the server that tests/support/postgres.sh started for
// the ctest run (the fixture "postgres" names its folder in SWITCHYARD_TEST_POSTGRES).
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace switchyard::testing {

class TestDatabase {
   public:
    // Creates a uniquely named database; nullptr with the reason in `why_not` when there is no
    // server to create it on.
    static std::unique_ptr<TestDatabase> create(std::string &why_not);
    ~TestDatabase();  // drops the database, closing whatever is still connected to it
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    const std::string &name() const { return name_; }
    // Its libpq connection URI, password included: never print it.
    const std::string &url() const { return url_; }
    // Runs `sql` on the database, behind the store's back; returns the first column of the first
    // row ("" when none). Throws std::runtime_error with the server's message when it fails.
    std::string query(const std::string &sql) const;

   private:
    TestDatabase(std::string server_url, std::string name, std::string url);

    std::string server_url_;  // the server's maintenance database: where CREATE and DROP run
    std::string name_;
    std::string url_;
};

// CI installs PostgreSQL: there, a test that cannot have its database fails instead of skipping,
// so that a broken setup cannot pass as skipped tests.
bool postgres_is_required();

}  // namespace switchyard::testing

// Sets `database` (a std::unique_ptr<TestDatabase>) to a fresh test database, or ends the test:
// skipped with the reason, failed where postgres_is_required(). In a test body or SetUp.
#define SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database)                                           \
    do {                                                                                          \
        std::string why_no_database_;                                                             \
        (database) = ::switchyard::testing::TestDatabase::create(why_no_database_);               \
        if (!(database)) {                                                                        \
            if (::switchyard::testing::postgres_is_required())                                    \
                FAIL() << why_no_database_ << " (CI=true: PostgreSQL must be there)";             \
            GTEST_SKIP() << why_no_database_;                                                     \
        }                                                                                         \
    } while (false)
