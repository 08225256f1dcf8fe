// `--store URL`: which store it names, its references expanded, and its password never shown.
#include <stdlib.h>

#include <gtest/gtest.h>

#include "host/log/log.h"
#include "host/store/store_location.h"

namespace switchyard {
namespace {

TEST(StoreLocation, NothingMeansSqliteInTheDataDirectory) {
    std::string error;
    const auto location = parse_store_location("", "/srv/var", error);
    ASSERT_TRUE(location) << error;
    EXPECT_EQ(location->sqlite_file, "/srv/var/switchyard.db");
    EXPECT_TRUE(location->postgresql_url.empty());
    EXPECT_EQ(location->shown, "sqlite:/srv/var/switchyard.db");
}

TEST(StoreLocation, SqliteTakesAPathToTheDatabaseFile) {
    std::string error;
    const auto location = parse_store_location("sqlite:/data/events.db", "var", error);
    ASSERT_TRUE(location) << error;
    EXPECT_EQ(location->sqlite_file, "/data/events.db");
    EXPECT_FALSE(parse_store_location("sqlite:", "var", error));
    EXPECT_EQ(error, "--store sqlite: needs a path to the database file");
}

TEST(StoreLocation, APostgresPasswordFromTheEnvironmentIsExpandedAndRedactedEverywhere) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): each test is a process of its own, with no other thread
    ::setenv("SWITCHYARD_TEST_STORE_PASSWORD", "s3cret-from-env", 1);
    std::string error;
    const auto location =
        parse_store_location("postgresql://sy:${SWITCHYARD_TEST_STORE_PASSWORD}@127.0.0.1:5432/events", "var", error);
    ASSERT_TRUE(location) << error;
    EXPECT_EQ(location->postgresql_url, "postgresql://sy:s3cret-from-env@127.0.0.1:5432/events");
    EXPECT_EQ(location->shown, "postgresql://sy:[redacted]@127.0.0.1:5432/events");
    EXPECT_EQ(log::redact("connecting with s3cret-from-env"), "connecting with [redacted]");
}

TEST(StoreLocation, APasswordWrittenInTheUrlIsASecretToo) {
    std::string error;
    const auto location = parse_store_location("postgres://sy:plain-pass-1@db.internal/events?sslmode=require", "var", error);
    ASSERT_TRUE(location) << error;
    EXPECT_EQ(location->shown, "postgres://sy:[redacted]@db.internal/events?sslmode=require");
    EXPECT_EQ(log::redact("plain-pass-1"), "[redacted]");
    EXPECT_EQ(url_without_password("postgresql://sy@db/events"), "postgresql://sy@db/events") << "no password";
    EXPECT_EQ(url_without_password("postgresql://db/events?user=a@b"), "postgresql://db/events?user=a@b");
}

TEST(StoreLocation, AnythingElseIsAClearError) {
    std::string error;
    EXPECT_FALSE(parse_store_location("mysql://sy:pw@db/events", "var", error));
    EXPECT_EQ(error, "--store must be sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
    EXPECT_FALSE(parse_store_location("postgresql://sy:${SWITCHYARD_TEST_UNSET_VARIABLE}@db/events", "var", error));
    EXPECT_EQ(error, "--store: environment variable SWITCHYARD_TEST_UNSET_VARIABLE is not set");
}

}  // namespace
}  // namespace switchyard
