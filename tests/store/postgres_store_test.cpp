// The PostgreSQL store's own concerns: migrating a fresh database (once, however many hosts start
// together), refusing a newer schema, and errors that never show the password.
#include <latch>
#include <thread>

#include "tests/store/store_backend.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int kHostsStartingTogether = 3;

std::unique_ptr<Store> open_store(const std::string &url, const std::filesystem::path &data_dir) {
    PostgresStoreOptions options;
    options.url = url;
    options.data_dir = data_dir;
    return open_postgres_store(options);
}

std::string open_error(const std::string &url, const std::filesystem::path &data_dir) {
    try {
        open_store(url, data_dir);
    } catch (const std::runtime_error &e) {
        return e.what();
    }
    return "opened";
}

bool has_table(const TestDatabase &database, const std::string &table) {
    return database.query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                          "AND table_name = '" + table + "'") == "1";
}

// schema_version's first column holds the version, whatever the store calls it.
std::string version_column(const TestDatabase &database) {
    return database.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'schema_version' ORDER BY ordinal_position LIMIT 1");
}

// What schema_version says: the newest version it records and how many rows record it.
std::string schema_versions(const TestDatabase &database) {
    return database.query("SELECT MAX(" + version_column(database) + ") || ' in ' || COUNT(*) || ' rows' "
                          "FROM schema_version");
}

// postgresql://USER:PASSWORD@HOST:PORT/DATABASE: where PASSWORD starts, and its length.
std::pair<size_t, size_t> password_span(const std::string &url) {
    const size_t start = url.find(':', url.find("//") + 2) + 1;
    return {start, url.find('@') - start};
}

std::string password_of(const std::string &url) {
    const auto [start, length] = password_span(url);
    return url.substr(start, length);
}

std::string with_password(std::string url, const std::string &password) {
    const auto [start, length] = password_span(url);
    return url.replace(start, length, password);
}

TEST(PostgresStore, AFreshDatabaseGetsTheSchema) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir dir;
    auto store = open_store(database->url(), dir.path());
    for (const char *table : {"events", "jobs", "dead_letters", "queue_depth", "dead_letter_count", "regulations",
                              "partition_leases", "cluster_hosts", "schema_version"})
        EXPECT_TRUE(has_table(*database, table)) << table;
    store->append(std::vector{event("u1", "a")}, kNow);
    EXPECT_EQ(store->queue_stats().at(0).depth, 1u);
}

// Several hosts of a cluster start at once on a database none has migrated: one migrates, the
// others wait for it and find the schema done.
TEST(PostgresStore, HostsStartingTogetherOnAFreshDatabaseMigrateItOnce) {
    std::unique_ptr<TestDatabase> reference;
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(reference);
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir reference_dir;
    open_store(reference->url(), reference_dir.path());

    std::vector<TempDataDir> dirs(kHostsStartingTogether);
    std::vector<std::unique_ptr<Store>> stores(kHostsStartingTogether);
    std::vector<std::string> errors(kHostsStartingTogether);
    std::latch start(kHostsStartingTogether);
    std::vector<std::thread> hosts;
    for (int i = 0; i < kHostsStartingTogether; ++i)
        hosts.emplace_back([&, i] {
            start.arrive_and_wait();
            try {
                stores[i] = open_store(database->url(), dirs[i].path());
            } catch (const std::exception &e) {
                errors[i] = e.what();
            }
        });
    for (std::thread &host : hosts) host.join();
    for (const std::string &error : errors) EXPECT_EQ(error, "");
    EXPECT_EQ(schema_versions(*database), schema_versions(*reference));
    ASSERT_NE(stores[0], nullptr);
    stores[0]->append(std::vector{event("u1", "a")}, kNow);
    ASSERT_NE(stores[2], nullptr);
    EXPECT_EQ(stores[2]->queue_stats().at(0).depth, 1u);
}

TEST(PostgresStore, ASchemaVersionNewerThanKnownIsRefused) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir dir;
    open_store(database->url(), dir.path());
    database->query("UPDATE schema_version SET " + version_column(*database) + " = 99");
    const std::string error = open_error(database->url(), dir.path());
    EXPECT_NE(error.find("schema version 99 was written by a newer switchyard"), std::string::npos) << error;
}

// docs/scale-out.md: an administrator's first start migrates; the hosts may then run as a role
// that only reads and writes rows.
TEST(PostgresStore, AMigratedDatabaseOpensForARoleWithoutCreatePrivilege) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir admin_dir, host_dir;
    open_store(database->url(), admin_dir.path());
    const std::string role = database->name() + "_rows";
    database->query("CREATE ROLE " + role + " LOGIN PASSWORD 'rows-only-pw'; "
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role + "; "
                    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role + "; "
                    "REVOKE CREATE ON SCHEMA public FROM PUBLIC, " + role);
    std::string url = with_password(database->url(), "rows-only-pw");
    url.replace(url.find("//") + 2, url.find(':', url.find("//") + 2) - url.find("//") - 2, role);
    {
        auto host = open_store(url, host_dir.path());
        host->append(std::vector{event("u1", "a")}, kNow);
        EXPECT_EQ(payloads(host->claim("acme/iterable", 10, kNow, nobody_busy)), std::vector<std::string>{"a"});
    }
    database->query("DROP OWNED BY " + role + "; DROP ROLE " + role);
}

// PostgreSQL restarted, or failed over: every connection of the store is cut. What was committed
// stays, the next write goes through on a new connection, and claims come back.
TEST(PostgresStore, AStoreGoesOnAfterItsConnectionsAreCut) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir dir;
    auto store = open_store(database->url(), dir.path());
    store->append(std::vector{event("u1", "before")}, kNow);
    database->query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()");
    store->append(std::vector{event("u2", "after")}, kNow);  // a transaction begins on a new connection
    std::vector<Job> jobs;
    try {
        jobs = store->claim("acme/iterable", 10, kNow, nobody_busy);
    } catch (const std::runtime_error &) {  // a read outside a transaction fails once, as it finds the cut
        jobs = store->claim("acme/iterable", 10, kNow, nobody_busy);
    }
    EXPECT_EQ(payloads(jobs), (std::vector<std::string>{"before", "after"}));
}

TEST(PostgresStore, AConnectionErrorNeverShowsThePassword) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir dir;
    const std::string password = "wrong-password-6121";
    const std::string error = open_error(with_password(database->url(), password), dir.path());
    EXPECT_NE(error, "opened");
    EXPECT_NE(error.find("password authentication failed"), std::string::npos) << error;
    EXPECT_EQ(error.find(password), std::string::npos) << error;

    const std::string missing = open_error(database->url() + "_missing", dir.path());  // the right password
    EXPECT_NE(missing, "opened");
    EXPECT_EQ(missing.find(password_of(database->url())), std::string::npos) << "the password was shown";
}

}  // namespace
}  // namespace switchyard::testing
