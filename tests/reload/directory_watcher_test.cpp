// The directory watcher calls back once per burst of relevant changes, and only for those.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "host/reload/directory_watcher.h"
#include "tests/reload/reload_fixture.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Counts callbacks; waits for a count with a deadline instead of sleeping and hoping.
class Callbacks {
   public:
    std::function<void()> callback() {
        return [this] {
            std::lock_guard lock(mutex_);
            ++count_;
            changed_.notify_all();
        };
    }
    // Whether `n` callbacks came within `timeout`.
    bool reach(int n, std::chrono::milliseconds timeout = 2s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return count_ >= n; });
    }
    // The count once `window` has passed: for asserting that nothing (more) came.
    int after(std::chrono::milliseconds window) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, window, [] { return false; });
        return count_;
    }

   private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

class DirectoryWatcherTest : public ::testing::Test {
   protected:
    ScratchDir dir_{"watcher"};
    Callbacks callbacks_;
};

TEST_F(DirectoryWatcherTest, WrittenYamlFileCallsBackOnce) {
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 100ms);
    write_bytes(dir_.path() / "acme.yaml", "workspace: acme\n");
    EXPECT_TRUE(callbacks_.reach(1));
    EXPECT_EQ(callbacks_.after(500ms), 1);
}

TEST_F(DirectoryWatcherTest, YmlAndSoFilesAreRelevantToo) {
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 50ms);
    write_bytes(dir_.path() / "acme.yml", "workspace: acme\n");
    ASSERT_TRUE(callbacks_.reach(1));
    write_bytes(dir_.path() / "plugin.so", "bytes");
    EXPECT_TRUE(callbacks_.reach(2));
}

TEST_F(DirectoryWatcherTest, BurstOfWritesIsOneCallback) {
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 100ms);
    for (int i = 0; i < 20; ++i) write_bytes(dir_.path() / ("w" + std::to_string(i) + ".yaml"), "workspace: w\n");
    EXPECT_TRUE(callbacks_.reach(1));
    EXPECT_EQ(callbacks_.after(500ms), 1);
}

TEST_F(DirectoryWatcherTest, RenameIntoPlaceCallsBack) {
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 100ms);
    write_bytes(dir_.path() / "x.tmp", "new build");  // not a relevant name yet
    fs::rename(dir_.path() / "x.tmp", dir_.path() / "x.so");
    EXPECT_TRUE(callbacks_.reach(1));
    EXPECT_EQ(callbacks_.after(300ms), 1);
}

TEST_F(DirectoryWatcherTest, DeletionCallsBack) {
    write_bytes(dir_.path() / "x.so", "old build");
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 100ms);
    fs::remove(dir_.path() / "x.so");
    EXPECT_TRUE(callbacks_.reach(1));
}

TEST_F(DirectoryWatcherTest, IrrelevantNamesDoNotCallBack) {
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 50ms);
    write_bytes(dir_.path() / "notes.txt", "not configuration");
    write_bytes(dir_.path() / ".so", "a name that is only the suffix");
    fs::create_directory(dir_.path() / "sub");
    write_bytes(dir_.path() / "sub" / "nested.yaml", "not watched: the watch does not recurse");
    EXPECT_EQ(callbacks_.after(500ms), 0);
}

TEST_F(DirectoryWatcherTest, WatchesEveryDirectoryGiven) {
    const fs::path plugins = dir_.subdir("plugins"), config = dir_.subdir("config");
    DirectoryWatcher watcher({plugins, config}, callbacks_.callback(), 50ms);
    write_bytes(config / "acme.yaml", "workspace: acme\n");
    ASSERT_TRUE(callbacks_.reach(1));
    write_bytes(plugins / "iterable.so", "bytes");
    EXPECT_TRUE(callbacks_.reach(2));
}

TEST_F(DirectoryWatcherTest, SteadyTrickleStillCallsBackWithinMaxDelay) {
    DirectoryWatcher watcher({dir_.path()}, callbacks_.callback(), 200ms, 400ms);
    const auto until = Clock::now() + 1500ms;
    int written = 0;
    bool called_during_trickle = false;
    while (Clock::now() < until && !called_during_trickle) {  // never quiet for 200 ms
        write_bytes(dir_.path() / ("t" + std::to_string(written++ % 3) + ".yaml"), "workspace: t\n");
        called_during_trickle = callbacks_.reach(1, 50ms);
    }
    EXPECT_TRUE(called_during_trickle) << written << " writes, 50 ms apart, never led to a callback";
}

TEST_F(DirectoryWatcherTest, DestructorReturnsPromptlyWhileIdle) {
    auto watcher = std::make_unique<DirectoryWatcher>(std::vector<fs::path>{dir_.path()}, callbacks_.callback());
    std::this_thread::sleep_for(50ms);  // let the thread reach poll()
    const auto start = Clock::now();
    watcher.reset();
    EXPECT_LT(Clock::now() - start, 500ms);
    EXPECT_EQ(callbacks_.after(0ms), 0);
}

TEST_F(DirectoryWatcherTest, DestructorDoesNotWaitForAPendingBurst) {
    auto watcher = std::make_unique<DirectoryWatcher>(std::vector<fs::path>{dir_.path()}, callbacks_.callback(), 10s);
    write_bytes(dir_.path() / "acme.yaml", "workspace: acme\n");
    std::this_thread::sleep_for(100ms);  // the event is read; the callback is 10 s away
    const auto start = Clock::now();
    watcher.reset();
    EXPECT_LT(Clock::now() - start, 500ms);
    EXPECT_EQ(callbacks_.after(0ms), 0);
}

TEST_F(DirectoryWatcherTest, MissingDirectoryThrowsNamingIt) {
    const fs::path missing = dir_.path() / "absent";
    try {
        DirectoryWatcher watcher({dir_.path(), missing}, callbacks_.callback());
        FAIL() << "no exception";
    } catch (const std::runtime_error &e) {
        EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace switchyard::testing
