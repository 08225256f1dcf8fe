// The store's watch on its database file, and serve's claim on the data directory: the lock,
// and the refusal to start empty where a database was lost.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "host/store/data_dir_lock.h"
#include "host/store/lost_database.h"
#include "host/store/store_guard.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr auto kPeriod = std::chrono::milliseconds(10);
const std::initializer_list<std::string_view> kHostFiles = {"lock", "plugin-copies"};

// Polls the guard until it reports `healthy`, for up to two seconds.
bool becomes(const StoreGuard &guard, bool healthy) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (guard.healthy() != healthy && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return guard.healthy() == healthy;
}

class StoreGuardTest : public ::testing::Test {
   protected:
    void SetUp() override { store = open_sqlite_store(dir.path()); }
    std::filesystem::path database() const { return sqlite_store_file(dir.path()); }

    TempDataDir dir;
    std::unique_ptr<Store> store;
};

TEST_F(StoreGuardTest, ADeletedDatabaseIsNoticedAndItsReturnToo) {
    StoreGuard guard(database(), kPeriod);
    EXPECT_TRUE(guard.healthy());
    std::filesystem::rename(database(), dir.path() / "aside.db");
    EXPECT_TRUE(becomes(guard, false));
    std::filesystem::rename(dir.path() / "aside.db", database());
    EXPECT_TRUE(becomes(guard, true)) << "the same file back is the store again";
}

TEST_F(StoreGuardTest, AFileRenamedOverTheDatabaseIsNoticed) {
    StoreGuard guard(database(), kPeriod);
    std::ofstream(dir.path() / "impostor.db") << "x";
    std::filesystem::rename(dir.path() / "impostor.db", database());
    EXPECT_TRUE(becomes(guard, false));
}

TEST_F(StoreGuardTest, TheLogOfAReplacedDatabaseIsRemovedOnceTheStoreHasClosed) {
    std::optional<StoreGuard> guard(std::in_place, database(), kPeriod);
    store->append(std::vector{event("u", "{}")}, 1);
    std::ofstream(dir.path() / "impostor.db") << "x";
    std::filesystem::rename(dir.path() / "impostor.db", database());
    store.reset();
    ASSERT_TRUE(std::filesystem::exists(dir.path() / "switchyard.db-wal")) << "SQLite leaves it beside a moved database";
    guard.reset();
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "switchyard.db-wal"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "switchyard.db-shm"));
    EXPECT_TRUE(std::filesystem::exists(database())) << "the file now at the path is not the guard's to remove";
}

// Root writes through file modes, so as root the guard watches from a child that is uid 65534
// (forked before this test starts any thread: it opens no store).
TEST(StoreGuardAccessTest, AnUnwritableDatabaseIsNoticed) {
    constexpr uid_t kNobody = 65534;
    TempDataDir dir;
    const std::filesystem::path file = dir.path() / "switchyard.db";
    std::ofstream(file) << "a database";
    const auto noticed = [&] {
        StoreGuard guard(file, kPeriod);
        std::filesystem::permissions(file, std::filesystem::perms::owner_read);
        return becomes(guard, false);
    };
    if (::geteuid() != 0) {
        EXPECT_TRUE(noticed());
        return;
    }
    ASSERT_EQ(::chown(dir.path().c_str(), kNobody, kNobody), 0);
    ASSERT_EQ(::chown(file.c_str(), kNobody, kNobody), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(::setgid(kNobody) == 0 && ::setuid(kNobody) == 0 && noticed() ? 0 : 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the guard as uid 65534 did not notice";
}

TEST_F(StoreGuardTest, AnUntouchedDatabaseStaysHealthyWhileWritten) {
    StoreGuard guard(database(), kPeriod);
    for (int i = 0; i < 20; ++i) store->append(std::vector{event("u", "{}")}, i);
    EXPECT_TRUE(guard.healthy());
}

TEST(DataDirLockTest, ASecondLockIsRefusedNamingTheHoldersPid) {
    TempDataDir dir;
    const auto data_dir = dir.path() / "var";
    std::optional<DataDirLock> first(std::in_place, data_dir);
    try {
        DataDirLock second(data_dir);
        ADD_FAILURE() << "a second lock was granted";
    } catch (const std::runtime_error &e) {
        EXPECT_NE(std::string(e.what()).find("PID " + std::to_string(::getpid())), std::string::npos) << e.what();
    }
    first.reset();
    EXPECT_NO_THROW(DataDirLock again(data_dir)) << "released with its holder";
}

TEST(LostDatabaseTest, ANewOrIntactDataDirHasNoTraces) {
    TempDataDir dir;
    EXPECT_EQ(traces_of_lost_database(dir.path() / "switchyard.db", dir.path(), kHostFiles), std::nullopt);
    EXPECT_EQ(traces_of_lost_database(dir.path() / "missing" / "switchyard.db", dir.path() / "missing", kHostFiles), std::nullopt);
    open_sqlite_store(dir.path());
    std::ofstream(dir.path() / "lock") << "1\n";
    EXPECT_EQ(traces_of_lost_database(dir.path() / "switchyard.db", dir.path(), kHostFiles), std::nullopt) << "the database is there";
}

TEST(LostDatabaseTest, TracesBesideAMissingDatabaseAreListedAndTheJournalRemoved) {
    TempDataDir dir;
    std::ofstream(dir.path() / "lock") << "1\n";
    std::ofstream(dir.path() / "switchyard.db-wal") << "old frames";
    std::ofstream(dir.path() / "switchyard.db-shm") << "old index";
    EXPECT_EQ(traces_of_lost_database(dir.path() / "switchyard.db", dir.path(), kHostFiles), "switchyard.db-wal, switchyard.db-shm, lock");
    remove_lost_database_journal(dir.path() / "switchyard.db");
    EXPECT_EQ(traces_of_lost_database(dir.path() / "switchyard.db", dir.path(), kHostFiles), "lock");
}

}  // namespace
}  // namespace switchyard::testing
