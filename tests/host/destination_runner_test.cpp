// A destination's turns on the delivery pool: jobs delivered as they come, and an idle runner that
// looks at the store only when jobs arrive or its next retry is due (no polling).
#include "host/router/destination_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "host/plugin/plugin_library.h"
#include "host/router/router.h"
#include "host/store/memory_store.h"

namespace switchyard {
namespace {

using namespace std::chrono_literals;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The in-memory store, counting the claims made on it.
class CountingStore final : public Store {
   public:
    std::atomic<int> claims{0};
    MemoryStore inner;

    void on_jobs_added(JobsAdded listener) override { inner.on_jobs_added(std::move(listener)); }
    void append(std::span<const IncomingEvent> events, int64_t now) override { inner.append(events, now); }
    std::vector<Job> claim(std::string_view destination, size_t limit, int64_t now,
                           const std::function<bool(std::string_view)> &user_busy) override {
        ++claims;
        return inner.claim(destination, limit, now, user_busy);
    }
    std::optional<int64_t> next_due_ms(std::string_view destination) override { return inner.next_due_ms(destination); }
    uint64_t data_version() override { return inner.data_version(); }
    void settle(std::span<const JobSettlement> settlements, int64_t now) override { inner.settle(settlements, now); }
    int64_t begin_plugin_call(std::string_view d, std::span<const int64_t> ids) override { return inner.begin_plugin_call(d, ids); }
    void end_plugin_call(int64_t entry) override { inner.end_plugin_call(entry); }
    std::vector<CrashSuspects> blame_crashed_plugin_calls(int64_t now) override { return inner.blame_crashed_plugin_calls(now); }
    std::vector<QueueStats> queue_stats() override { return inner.queue_stats(); }
    std::vector<DeadLetter> dead_letters(std::string_view d, size_t limit) override { return inner.dead_letters(d, limit); }
    size_t replay(std::string_view d, std::span<const int64_t> ids, int64_t now) override { return inner.replay(d, ids, now); }
    size_t purge(const PurgeSelection &selection) override { return inner.purge(selection); }
    std::map<std::string, uint64_t> dead_letter_counts() override { return inner.dead_letter_counts(); }
    int64_t add_regulation(std::string_view record, int64_t now) override { return inner.add_regulation(record, now); }
    std::vector<StoredRegulation> regulations() override { return inner.regulations(); }
    void update_regulation(int64_t id, std::string_view record) override { inner.update_regulation(id, record); }
    size_t purge_user_jobs(std::string_view d, std::string_view user) override { return inner.purge_user_jobs(d, user); }
    size_t purge_user_dead_letters(std::string_view d, std::string_view user) override {
        return inner.purge_user_dead_letters(d, user);
    }
};

constexpr const char *kKey = "w/template";

class RunnerTest : public ::testing::Test {
   protected:
    void SetUp() override {
        const LoadOutcome loaded = load_plugin(TEMPLATE_PLUGIN);
        ASSERT_NE(loaded.plugin, nullptr) << loaded.refusal;
        std::string error;
        auto instance = Destination::create(loaded.plugin, kKey, "{}", error);
        ASSERT_NE(instance, nullptr) << error;
        live_ = std::make_shared<LiveDestination>(LiveDestination{{}, std::move(instance), {}});
        declare_delivery_metrics(metrics_);
        store_.on_jobs_added([this](std::span<const std::string_view>) { jobs_added_->notify(); });
        runner_ = std::make_shared<DestinationRunner>(
            kKey, DeliveryPolicy{}, store_, metrics_, pool_, watchdog_,
            [this] { return std::shared_ptr<const LiveDestination>(live_); }, jobs_added_, nullptr);
        runner_->on_settled([this](const Job &, const EventOutcome &, const JobSettlement &settlement) {
            if (settlement.kind == Settlement::delivered && ++delivered_ == expected_) all_delivered_.set_value();
        });
    }
    void TearDown() override {
        if (runner_) runner_->stop();
        pool_.stop();
    }

    void append(int events, int64_t at) {
        std::vector<IncomingEvent> incoming;
        for (int i = 0; i < events; ++i)
            incoming.push_back({R"({"type":"track","userId":"u)" + std::to_string(i % 3) + R"("})",
                                "u" + std::to_string(i % 3), {kKey}});
        store_.append(incoming, at);
    }
    bool wait_delivered(int expected) {
        expected_ = expected;
        if (delivered_ >= expected) return true;
        return all_delivered_.get_future().wait_for(10s) == std::future_status::ready;
    }

    CountingStore store_;
    Metrics metrics_;
    DeliveryPool pool_{4};
    CallWatchdog watchdog_;
    std::shared_ptr<WakeSignal> jobs_added_ = std::make_shared<WakeSignal>();
    std::shared_ptr<LiveDestination> live_;
    std::shared_ptr<DestinationRunner> runner_;
    std::atomic<int> delivered_{0};
    std::atomic<int> expected_{-1};
    std::promise<void> all_delivered_;
};

TEST_F(RunnerTest, DeliversWhatArrivesThenLooksNoMoreUntilJobsArrive) {
    runner_->start();
    append(10, now_ms());
    ASSERT_TRUE(wait_delivered(10));
    std::this_thread::sleep_for(50ms);  // the turn after the last batch finds nothing and ends
    const int claims = store_.claims;
    std::this_thread::sleep_for(1500ms);  // past the old workers' once-a-second poll
    EXPECT_EQ(store_.claims, claims) << "an idle runner claimed";
}

TEST_F(RunnerTest, ARetryWakesTheRunnerAtItsTimeAndNotBefore) {
    append(1, now_ms());
    const std::vector<Job> first = store_.inner.claim(kKey, 10, now_ms(), [](std::string_view) { return false; });
    ASSERT_EQ(first.size(), 1u);
    const int64_t due = now_ms() + 400;
    const JobSettlement retry{first[0].id, Settlement::retry, due, "try later"};
    store_.inner.settle(std::span(&retry, 1), now_ms());
    runner_->start();  // its first claim finds nothing due, and it sleeps until `due`
    ASSERT_TRUE(wait_delivered(1));
    EXPECT_GE(now_ms(), due);
    EXPECT_LE(store_.claims, 3) << "the runner polled while waiting for the retry";
}

}  // namespace
}  // namespace switchyard
