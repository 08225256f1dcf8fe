// Group commit: many appending threads, one committer; nothing lost, every caller told.
#include <sqlite3.h>

#include <atomic>
#include <latch>
#include <map>
#include <thread>

#include "host/store/group_commit.h"
#include "host/store/store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

// True when another connection, opened now, sees `payload`: the commit holding it is over.
bool visible_elsewhere(const std::filesystem::path &file, const std::string &payload) {
    sqlite3 *db = nullptr;
    sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *statement = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM events WHERE payload = ?1", -1, &statement, nullptr);
    sqlite3_bind_text(statement, 1, payload.c_str(), -1, SQLITE_TRANSIENT);
    const bool found = sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_int(statement, 0) == 1;
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return found;
}

TEST(GroupCommitStore, ManyThreadsLoseNothingAndEachSeesItsEventsCommitted) {
    constexpr int kThreads = 8, kBatches = 40, kBatchSize = 25;
    TempDataDir dir;
    auto store = open_sqlite_store(dir.path());
    std::atomic<int> unseen{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<IncomingEvent> batch;
                for (int i = 0; i < kBatchSize; ++i)
                    batch.push_back(event("user" + std::to_string(t),
                                          std::to_string(t) + "/" + std::to_string(b * kBatchSize + i)));
                store->append(batch, kNow);
                // Checked in a quarter of the batches: opening a connection is slow enough to
                // stop the other threads' batches from overlapping.
                if (b % 4 == 0 && !visible_elsewhere(dir.path() / "switchyard.db", batch.back().payload)) ++unseen;
            }
        });
    for (std::thread &thread : threads) thread.join();
    EXPECT_EQ(unseen, 0);
    const std::vector<QueueStats> stats = store->queue_stats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].depth, uint64_t{kThreads} * kBatches * kBatchSize);
    // Each user's jobs come out in the order that user appended them.
    const std::vector<Job> jobs = store->claim("acme/iterable", 100'000, kNow, nobody_busy);
    ASSERT_EQ(jobs.size(), 4096u);  // one claim scans a bounded window
    std::map<std::string, int> last_sequence;
    for (const Job &job : jobs) {
        const int sequence = std::stoi(job.payload.substr(job.payload.find('/') + 1));
        auto [last, first] = last_sequence.try_emplace(job.user_key, sequence);
        EXPECT_TRUE(first || last->second < sequence) << job.payload;
        last->second = sequence;
    }
}

TEST(GroupCommit, CallersQueuedDuringACommitShareTheNextOne) {
    std::atomic<int> commits{0};
    std::atomic<size_t> largest{0};
    std::latch first_started(1), release_first(1);
    GroupCommit group([&](std::span<const PendingWrite *const> appends) {
        largest = std::max(largest.load(), appends.size());
        if (commits++ == 0) {
            first_started.count_down();
            release_first.wait();
        }
    });
    std::thread first([&] { group.submit(PendingWrite{}); });
    first_started.wait();
    std::vector<std::thread> followers;
    std::atomic<int> queued{0};
    for (int i = 0; i < 6; ++i)
        followers.emplace_back([&] {
            ++queued;
            group.submit(PendingWrite{});
        });
    while (queued < 6) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let them reach the queue
    release_first.count_down();
    first.join();
    for (std::thread &f : followers) f.join();
    EXPECT_EQ(largest, 6u);  // all six waited while the first commit was held
    EXPECT_EQ(commits, 2);
}

TEST(GroupCommit, AFailedCommitIsReportedToEveryCallerInIt) {
    std::latch first_started(1), release_first(1);
    std::atomic<int> commits{0};
    GroupCommit group([&](std::span<const PendingWrite *const>) {
        if (commits++ == 0) {
            first_started.count_down();
            release_first.wait();
            return;
        }
        throw std::runtime_error("disk full");
    });
    std::thread first([&] { group.submit(PendingWrite{}); });
    first_started.wait();
    std::atomic<int> failed{0}, queued{0};
    std::vector<std::thread> followers;
    for (int i = 0; i < 5; ++i)
        followers.emplace_back([&] {
            ++queued;
            try {
                group.submit(PendingWrite{});
            } catch (const std::runtime_error &e) {
                failed += std::string(e.what()) == "disk full";
            }
        });
    while (queued < 5) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    release_first.count_down();
    first.join();
    for (std::thread &f : followers) f.join();
    EXPECT_EQ(failed, 5);
}

}  // namespace
}  // namespace switchyard::testing
