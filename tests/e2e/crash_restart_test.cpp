// kill -9 of the host while clients stream events and deliveries are in flight; after a
// restart on the same data directory every acknowledged event reaches the mock (at least once).
#include <atomic>
#include <mutex>
#include <set>

#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

constexpr int kClients = 4;
constexpr int kEventsPerBatch = 25;
constexpr size_t kAcknowledgedBeforeKill = 3000;

constexpr const char *kBigBatches = R"(
    delivery:
      workers: 4
      batch_size: 200
)";

// The mock is a member so that it outlives the host (EndToEnd::TearDown stops it first).
class CrashRestart : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }
    MockIterable mock_{MockOptions{}};
};

TEST_F(CrashRestart, KillNineUnderLoadThenRestartDeliversEveryAcknowledgedEvent) {
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(), "", kBigBatches)));

    std::mutex mutex;
    std::set<int> acknowledged;
    std::atomic<int> next_seq{0};
    std::atomic<bool> stop{false};
    auto client = [&] {
        while (!stop) {
            nlohmann::json batch = {{"batch", nlohmann::json::array()}};
            std::vector<int> seqs;
            for (int i = 0; i < kEventsPerBatch; ++i) {
                seqs.push_back(next_seq++);
                batch["batch"].push_back(track("user" + std::to_string(seqs.back() % 97), seqs.back()));
            }
            if (post("batch", batch) != 200) continue;  // refused or cut by the kill: not acknowledged
            std::lock_guard lock(mutex);
            acknowledged.insert(seqs.begin(), seqs.end());
        }
    };
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) clients.emplace_back(client);
    const bool loaded = eventually([&] {
        std::lock_guard lock(mutex);
        return acknowledged.size() >= kAcknowledgedBeforeKill;
    });
    host_->kill9();
    stop = true;
    for (std::thread &t : clients) t.join();
    ASSERT_TRUE(loaded) << host_->log();
    const size_t delivered_before_restart = recorded_seqs(mock_).size();
    // The kill hit a backlog, or the restart would prove nothing.
    ASSERT_LT(delivered_before_restart, acknowledged.size());

    host_->start();
    const bool all_delivered = eventually(
        [&] {
            const std::vector<int> seqs = recorded_seqs(mock_);
            const std::set<int> recorded(seqs.begin(), seqs.end());
            return std::includes(recorded.begin(), recorded.end(), acknowledged.begin(), acknowledged.end());
        },
        std::chrono::seconds(90));
    const std::vector<int> seqs = recorded_seqs(mock_);
    const std::set<int> distinct(seqs.begin(), seqs.end());
    EXPECT_TRUE(all_delivered) << distinct.size() << " distinct of " << acknowledged.size() << " acknowledged\n"
                               << host_->log();
    RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
    RecordProperty("delivered_before_kill", static_cast<int>(delivered_before_restart));
    RecordProperty("delivered_twice", static_cast<int>(seqs.size() - distinct.size()));
}

}  // namespace
}  // namespace switchyard::testing
