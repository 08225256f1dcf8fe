// kill -9 in the middle of appends: every batch whose append returned is there after a reopen.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "host/store/store.h"
#include "tests/store/store_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int kBatchSize = 20;
constexpr int kAcknowledgedBeforeKill = 200;
constexpr int kMaxBatches = 100'000;  // the child stops by itself if nobody kills it

std::string payload(int batch, int index) { return std::to_string(batch) + "/" + std::to_string(index); }

// The child: appends batches from two threads, reporting each acknowledged batch on `report`.
[[noreturn]] void append_until_killed(const std::filesystem::path &data_dir, int report) {
    try {
        auto store = open_sqlite_store(data_dir);
        std::atomic<int> next_batch{0};
        auto appender = [&] {
            for (int batch = next_batch++; batch < kMaxBatches; batch = next_batch++) {
                std::vector<IncomingEvent> events;
                for (int i = 0; i < kBatchSize; ++i) events.push_back(event("user" + std::to_string(batch % 7), payload(batch, i)));
                store->append(events, 1);
                if (::write(report, &batch, sizeof batch) != sizeof batch) ::_exit(3);
            }
        };
        std::thread other(appender);
        appender();
        other.join();
    } catch (...) {
        ::_exit(2);
    }
    ::_exit(0);
}

std::set<std::string> everything_pending(Store &store) {
    std::set<std::string> seen;
    for (;;) {
        const std::vector<Job> jobs = store.claim("acme/iterable", 10'000, 1, nobody_busy);
        if (jobs.empty()) return seen;
        std::vector<JobSettlement> delivered;
        for (const Job &job : jobs) {
            seen.insert(job.payload);
            delivered.push_back({job.id, Settlement::delivered, 0, {}});
        }
        store.settle(delivered, 1);
    }
}

TEST(StoreCrash, EveryAcknowledgedBatchSurvivesKillNine) {
    TempDataDir dir;
    int pipe_ends[2];
    ASSERT_EQ(::pipe(pipe_ends), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_ends[0]);
        append_until_killed(dir.path(), pipe_ends[1]);
    }
    ::close(pipe_ends[1]);
    std::vector<int> acknowledged;
    int batch = 0;
    while (acknowledged.size() < kAcknowledgedBeforeKill && ::read(pipe_ends[0], &batch, sizeof batch) == sizeof batch)
        acknowledged.push_back(batch);
    ::kill(child, SIGKILL);
    // Acknowledgements written before the kill still count: read until the pipe closes.
    while (::read(pipe_ends[0], &batch, sizeof batch) == sizeof batch) acknowledged.push_back(batch);
    ::close(pipe_ends[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended before the kill";
    ASSERT_GE(acknowledged.size(), size_t{kAcknowledgedBeforeKill});

    auto store = open_sqlite_store(dir.path());
    const std::set<std::string> found = everything_pending(*store);
    for (int b : acknowledged)
        for (int i = 0; i < kBatchSize; ++i) EXPECT_TRUE(found.count(payload(b, i))) << "lost " << payload(b, i);
    // Batches are atomic: an unacknowledged batch is either all there or not at all.
    EXPECT_EQ(found.size() % kBatchSize, 0u);
}

}  // namespace
}  // namespace switchyard::testing
