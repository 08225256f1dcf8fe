// The tests' own databases (tests/support/test_postgres.h): each test gets a fresh one of its
// own, reachable at its URI, and dropped when the test is over, even with connections left open.
#include <libpq-fe.h>

#include "tests/support/test_postgres.h"

namespace switchyard::testing {
namespace {

TEST(TestDatabase, IsFreshReachableAtItsUrlAndDroppedAfter) {
    std::unique_ptr<TestDatabase> witness;
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(witness);
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    const std::string name = database->name();
    EXPECT_NE(name, witness->name());
    EXPECT_EQ(database->query("SELECT current_database()"), name);
    EXPECT_EQ(database->query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"), "0");
    EXPECT_EQ(database->query("SELECT current_setting('fsync')"), "on");  // commits are durable, as in production

    PGconn *left_open = PQconnectdb(database->url().c_str());  // as a store a test did not close
    ASSERT_EQ(PQstatus(left_open), CONNECTION_OK) << PQerrorMessage(left_open);
    database.reset();
    const std::string exists = "SELECT COUNT(*) FROM pg_database WHERE datname = '" + name + "'";
    EXPECT_EQ(witness->query(exists), "0");
    PQfinish(left_open);
}

// What postgres.sh promises: loopback only, and no way in without the password.
TEST(TestDatabase, TheServerListensOnLoopbackOnlyAndWantsThePassword) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    EXPECT_EQ(database->query("SELECT current_setting('listen_addresses')"), "127.0.0.1");
    const std::string url = database->url();
    const std::string without_password = url.substr(0, url.find(':', url.find("//") + 2)) + url.substr(url.find('@'));
    PGconn *refused = PQconnectdb(without_password.c_str());
    EXPECT_NE(PQstatus(refused), CONNECTION_OK);
    PQfinish(refused);
}

TEST(TestDatabase, AQueryThatFailsThrowsTheServersMessage) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    try {
        database->query("SELECT * FROM no_such_table");
        FAIL() << "no error";
    } catch (const std::runtime_error &e) {
        const std::string error = e.what();
        EXPECT_NE(error.find("relation \"no_such_table\" does not exist"), std::string::npos) << error;
    }
}

}  // namespace
}  // namespace switchyard::testing
