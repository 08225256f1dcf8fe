// `switchyard dead-letter list|replay|purge`, run as a process against a store the test fills.
#include "host/store/store.h"
#include "tests/store/store_fixture.h"
#include "tests/support/cli_run.h"
#include "tests/support/test_postgres.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kFailedAt = 1'700'000'000'123;  // 2023-11-14T22:13:20.123Z

CliRun run(const std::string &arguments) { return run_command(std::string(SWITCHYARD_BIN) + " " + arguments); }

class DeadLetterCli : public ::testing::Test {
   protected:
    void SetUp() override {
        auto store = open_sqlite_store(dir.path());
        store->append(std::vector{event("u1", "{\"type\":\"track\",\"n\":1}", {"acme/iterable", "acme/amplitude"}),
                                  event("u\"2", "{\"n\":2}")},
                      kFailedAt - 5000);
        bury(*store, "acme/iterable", "status 400: \"email\" is invalid");
        bury(*store, "acme/amplitude", "status 401: bad key");
    }
    static void bury(Store &store, const std::string &destination, const std::string &reason) {
        std::vector<JobSettlement> dead;
        for (const Job &job : store.claim(destination, 10, kFailedAt, nobody_busy))
            dead.push_back({job.id, Settlement::dead, 0, reason});
        store.settle(dead, kFailedAt);
    }
    std::string data_dir() const { return " --data-dir " + dir.path().string(); }

    TempDataDir dir;
};

TEST_F(DeadLetterCli, ListPrintsOneNdjsonLinePerDeadLetter) {
    const CliRun r = run("dead-letter list" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output,
              "{\"id\":1,\"destination\":\"acme/iterable\",\"user\":\"u1\",\"attempts\":1,"
              "\"failed_at\":\"2023-11-14T22:13:20.123Z\",\"reason\":\"status 400: \\\"email\\\" is invalid\","
              "\"event\":{\"type\":\"track\",\"n\":1}}\n"
              "{\"id\":2,\"destination\":\"acme/iterable\",\"user\":\"u\\\"2\",\"attempts\":1,"
              "\"failed_at\":\"2023-11-14T22:13:20.123Z\",\"reason\":\"status 400: \\\"email\\\" is invalid\","
              "\"event\":{\"n\":2}}\n"
              "{\"id\":3,\"destination\":\"acme/amplitude\",\"user\":\"u1\",\"attempts\":1,"
              "\"failed_at\":\"2023-11-14T22:13:20.123Z\",\"reason\":\"status 401: bad key\","
              "\"event\":{\"type\":\"track\",\"n\":1}}\n");
}

TEST_F(DeadLetterCli, ListFiltersByDestinationAndLimit) {
    CliRun r = run("dead-letter list --destination acme/amplitude" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_NE(r.output.find("\"id\":3"), std::string::npos) << r.output;
    r = run("dead-letter list --limit 1" + data_dir());
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST_F(DeadLetterCli, ReplayByIdsRepeatedOrCommaSeparated) {
    CliRun r = run("dead-letter replay --id 1,3 --id 3" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "Replayed 2 dead letters.\n");
    auto store = open_sqlite_store(dir.path());
    EXPECT_EQ(store->claim("acme/iterable", 10, kFailedAt, nobody_busy).size(), 1u);
    EXPECT_EQ(store->claim("acme/amplitude", 10, kFailedAt, nobody_busy).size(), 1u);
    ASSERT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 10)[0].id, 2);
}

TEST_F(DeadLetterCli, ReplayAllOfADestination) {
    CliRun r = run("dead-letter replay --all --destination acme/iterable" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "Replayed 2 dead letters.\n");
    r = run("dead-letter list" + data_dir());
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST_F(DeadLetterCli, ReplayOfUnknownIdsSaysSoAndExitsOne) {
    const CliRun r = run("dead-letter replay --id 1,99" + data_dir());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("Replayed 1 dead letter.\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("1 of the given ids are not dead letters"), std::string::npos) << r.output;
}

TEST_F(DeadLetterCli, UsageErrors) {
    CliRun r = run("dead-letter replay" + data_dir());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("give either --id N[,N...] (whole numbers) or --all"), std::string::npos) << r.output;
    r = run("dead-letter replay --all --id 1" + data_dir());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run("dead-letter replay --id x" + data_dir());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run("dead-letter");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("switchyard dead-letter: expected one of: list, replay, purge"), std::string::npos) << r.output;
    r = run("dead-letter list --data-dir " + (dir.path() / "nowhere").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("no store at " + (dir.path() / "nowhere" / "switchyard.db").string()), std::string::npos)
        << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "nowhere"));
}

TEST_F(DeadLetterCli, PurgeByIdsDeletesThemAndSaysHowMany) {
    const CliRun r = run("dead-letter purge --id 1,3" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "Purged 2 dead letters.\n");
    auto store = open_sqlite_store(dir.path());
    ASSERT_EQ(store->dead_letters("", 10).size(), 1u);
    EXPECT_EQ(store->dead_letters("", 10)[0].id, 2);
    EXPECT_TRUE(store->claim("acme/iterable", 10, kFailedAt, nobody_busy).empty());  // not replayed
}

TEST_F(DeadLetterCli, PurgeAllOfADestinationAndOlderThan) {
    CliRun r = run("dead-letter purge --all --destination acme/amplitude" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "Purged 1 dead letter.\n");
    r = run("dead-letter purge --older-than 100000d" + data_dir());  // they failed in 2023: none is that old
    EXPECT_EQ(r.output, "Purged 0 dead letters.\n");
    r = run("dead-letter purge --older-than 1d" + data_dir());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "Purged 2 dead letters.\n");
    EXPECT_TRUE(open_sqlite_store(dir.path())->dead_letters("", 10).empty());
}

TEST_F(DeadLetterCli, PurgeOfUnknownIdsSaysSoAndExitsOne) {
    const CliRun r = run("dead-letter purge --id 1,99" + data_dir());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("Purged 1 dead letter.\n"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("1 of the given ids are not dead letters"), std::string::npos) << r.output;
}

TEST_F(DeadLetterCli, PurgeUsageErrorsDeleteNothing) {
    for (const char *flags : {"", "--all --id 1", "--all --older-than 1d", "--id 1 --older-than 1d", "--id x",
                              "--id 1,", "--older-than 3x", "--older-than -1d", "--all=yes"}) {
        const CliRun r = run(std::string("dead-letter purge ") + flags + data_dir());
        EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.output;
        if (std::string_view(flags) != "--all=yes") {
            EXPECT_NE(r.output.find("give exactly one of --id N[,N...] (whole numbers), --all, --older-than DURATION"),
                      std::string::npos)
                << r.output;
        }
    }
    EXPECT_EQ(open_sqlite_store(dir.path())->dead_letters("", 10).size(), 3u);
}

TEST_F(DeadLetterCli, HelpShowsTheTwoWordCommands) {
    CliRun r = run("--help");
    EXPECT_NE(r.output.find("  dead-letter list    Print the dead letters"), std::string::npos) << r.output;
    r = run("dead-letter replay --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("Usage: switchyard dead-letter replay [flags]"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("--id N[,N...]"), std::string::npos) << r.output;
}

// The same commands on a PostgreSQL store shared by running hosts: `--store` names it, the
// password taken from the environment and never printed.
TEST(DeadLetterCliOnPostgres, ListsAndReplaysWithThePasswordFromTheEnvironment) {
    std::unique_ptr<TestDatabase> database;
    SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database);
    TempDataDir host_dir;
    auto host = open_postgres_store({database->url(), host_dir.path()});
    host->append(std::vector{event("u1", "{\"n\":1}")}, kFailedAt);
    const std::vector<Job> jobs = host->claim("acme/iterable", 10, kFailedAt, nobody_busy);
    ASSERT_EQ(jobs.size(), 1u);
    const JobSettlement dead{jobs[0].id, Settlement::dead, 0, "status 400"};
    host->settle(std::span(&dead, 1), kFailedAt);

    const std::string url = database->url();
    const size_t colon = url.find(':', url.find("://") + 3), at = url.find('@');
    const std::string password = url.substr(colon + 1, at - colon - 1);
    const std::string with_reference = url.substr(0, colon + 1) + "${SWITCHYARD_TEST_DB_PASSWORD}" + url.substr(at);
    const std::string env = "SWITCHYARD_TEST_DB_PASSWORD='" + password + "' ";
    CliRun r = run_command(env + SWITCHYARD_BIN + " dead-letter list --store '" + with_reference + "'");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("\"reason\":\"status 400\""), std::string::npos) << r.output;
    r = run_command(env + SWITCHYARD_BIN + " dead-letter replay --all --store '" + with_reference + "'");
    EXPECT_EQ(r.output, "Replayed 1 dead letter.\n");
    EXPECT_EQ(host->claim("acme/iterable", 10, kFailedAt, nobody_busy).size(), 1u);

    r = run_command(std::string(SWITCHYARD_BIN) + " dead-letter list --store '" + with_reference + "'");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("environment variable SWITCHYARD_TEST_DB_PASSWORD is not set"), std::string::npos) << r.output;
    r = run_command(env + SWITCHYARD_BIN + " dead-letter list --store '" + url.substr(0, colon + 1) + "not-it" + url.substr(at) + "'");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("[redacted]"), std::string::npos) << "the URL is named, without its password: " << r.output;
    EXPECT_EQ(r.output.find("not-it"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find(password), std::string::npos) << r.output;
}

}  // namespace
}  // namespace switchyard::testing
