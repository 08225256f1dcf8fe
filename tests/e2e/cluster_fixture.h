// Three `switchyard serve` hosts on one PostgreSQL database delivering to one mock Iterable, and
// the load the cluster tests drive: users whose consecutive events enter by different hosts.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/test_postgres.h"

namespace switchyard::testing {

constexpr int kHosts = 3;
constexpr double kPartitions = 64;  // the PostgreSQL store hashes users into this many
constexpr std::chrono::milliseconds kLeaseTimeout{3000};
constexpr std::chrono::milliseconds kHeartbeat = kLeaseTimeout / 8;  // the store renews this often

// The sum of a /metrics series over all its labels; nullopt when the host does not answer or has
// no such series.
inline std::optional<double> metric(const HostProcess &host, const std::string &name) {
    const auto res = host.client()->Get("/metrics");
    if (!res || res->status != 200) return std::nullopt;
    std::optional<double> sum;
    std::istringstream lines(res->body);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(name + " ") || line.starts_with(name + "{"))
            sum = sum.value_or(0) + std::stod(line.substr(line.rfind(' ') + 1));
    return sum;
}

// Per user, the seqs of the events whose request was answered 200, in acknowledgement order.
using Acknowledged = std::map<std::string, std::vector<int>>;

// kUsers users, each one's next event sent only once the previous one was acknowledged: each of
// kClients threads owns kUsers / kClients users and sends one event of each per request, every
// request to the next host not marked down, so that a user's consecutive events enter by
// different hosts. A request that fails (a killed host) is not counted; its users' next events
// carry new seqs.
class Traffic {
   public:
    static constexpr int kUsers = 200;
    static constexpr int kClients = 8;

    // Each thread stops after `rounds` acknowledged requests, or at stop(); seqs start at `first_seq`.
    Traffic(const std::vector<std::unique_ptr<HostProcess>> &hosts, int rounds, int first_seq = 0) {
        for (int c = 0; c < kClients; ++c)
            threads_.emplace_back([this, &hosts, rounds, first_seq, c] { run_client(hosts, rounds, first_seq, c); });
    }
    ~Traffic() {
        stop();
        join();
    }
    Traffic(const Traffic &) = delete;
    Traffic &operator=(const Traffic &) = delete;

    void mark_down(int host) { down_ = host; }
    void stop() { stopping_ = true; }
    size_t acknowledged_events() const { return acknowledged_events_; }
    int failed_requests() const { return failed_requests_; }

    // Waits for every thread; then the acknowledged events of every user.
    const Acknowledged &join() {
        for (std::thread &thread : threads_)
            if (thread.joinable()) thread.join();
        return acknowledged_;
    }

    static std::string user(int u) { return "user" + std::to_string(u); }

   private:
    static constexpr auto kGiveUpAfter = std::chrono::seconds(60);  // every host refusing: the test fails on counts

    void run_client(const std::vector<std::unique_ptr<HostProcess>> &hosts, int rounds, int first_seq, int client) {
        std::vector<int> users;
        for (int u = client; u < kUsers; u += kClients) users.push_back(u);
        std::map<int, int> next_seq;
        Acknowledged mine;
        const auto deadline = std::chrono::steady_clock::now() + kGiveUpAfter;
        int host = client % kHosts;
        for (int done = 0; done < rounds && !stopping_ && std::chrono::steady_clock::now() < deadline;) {
            host = (host + 1) % kHosts;
            if (host == down_) host = (host + 1) % kHosts;
            nlohmann::json batch = nlohmann::json::array();
            for (int u : users) batch.push_back(track(user(u), first_seq + next_seq[u]++));
            auto client_of_host = hosts[static_cast<size_t>(host)]->client();
            client_of_host->set_basic_auth(kWriteKey, "");
            const auto res = client_of_host->Post("/v1/batch", nlohmann::json{{"batch", batch}}.dump(), "application/json");
            if (!res || res->status != 200) {
                ++failed_requests_;
                continue;
            }
            for (const auto &event : batch)
                mine[event["userId"].get<std::string>()].push_back(event["properties"]["seq"].get<int>());
            acknowledged_events_ += batch.size();
            ++done;
        }
        std::lock_guard lock(mutex_);
        acknowledged_.merge(mine);
    }

    std::vector<std::thread> threads_;
    std::atomic<int> down_{-1};
    std::atomic<bool> stopping_{false};
    std::atomic<size_t> acknowledged_events_{0};
    std::atomic<int> failed_requests_{0};
    std::mutex mutex_;
    Acknowledged acknowledged_;
};

// Per user, the seqs the mock recorded, in the order it recorded them (duplicates included).
inline std::map<std::string, std::vector<int>> recorded_by_user(const MockIterable &mock) {
    std::map<std::string, std::vector<int>> seqs;
    const nlohmann::json state = mock.state();
    for (const auto &event : state["events"])
        if (event.contains("dataFields") && event["dataFields"].contains("seq"))
            seqs[event.value("userId", "")].push_back(event["dataFields"]["seq"].get<int>());
    return seqs;
}

// What the mock recorded of the acknowledged events: per user, the first delivery of each
// acknowledged seq in delivery order (unacknowledged seqs left out), and how many deliveries of
// acknowledged events were repeats.
struct Deliveries {
    std::map<std::string, std::vector<int>> first;
    size_t duplicates = 0;
    size_t missing = 0;  // acknowledged, never delivered
};

inline Deliveries deliveries_of(const MockIterable &mock, const Acknowledged &acknowledged) {
    Deliveries result;
    const auto recorded = recorded_by_user(mock);
    for (const auto &[user, acked] : acknowledged) {
        const std::set<int> wanted(acked.begin(), acked.end());
        std::set<int> seen;
        const auto found = recorded.find(user);
        for (int seq : found == recorded.end() ? std::vector<int>{} : found->second) {
            if (!wanted.contains(seq)) continue;
            if (seen.insert(seq).second)
                result.first[user].push_back(seq);
            else
                ++result.duplicates;
        }
        result.missing += wanted.size() - seen.size();
    }
    return result;
}

// Every acknowledged event delivered, each user's first deliveries in acknowledgement order;
// returns the number of repeated deliveries (allowed: at least once).
inline size_t expect_delivered_in_order(const MockIterable &mock, const Acknowledged &acknowledged) {
    const Deliveries deliveries = deliveries_of(mock, acknowledged);
    EXPECT_EQ(deliveries.missing, 0u) << "acknowledged events never delivered";
    int out_of_order = 0;
    for (const auto &[user, acked] : acknowledged)
        if (deliveries.first.contains(user) && deliveries.first.at(user) != acked && ++out_of_order <= 3)
            ADD_FAILURE() << user << ": first deliveries " << ::testing::PrintToString(deliveries.first.at(user))
                          << " differ from acknowledgement order " << ::testing::PrintToString(acked);
    EXPECT_EQ(out_of_order, 0) << "users whose events arrived out of acknowledgement order";
    return deliveries.duplicates;
}

// No rate limits: the tests measure the cluster, not Iterable's pacing.
inline MockOptions unlimited_mock() {
    MockOptions options;
    options.rate_limits = false;
    return options;
}

class Cluster : public EndToEnd {
   protected:
    void SetUp() override {
        SWITCHYARD_OPEN_TEST_DATABASE_OR_SKIP(database_);
        mock_.start();
        for (int i = 0; i < kHosts; ++i) {
            write_config(i, kBatchSize);
            hosts_.push_back(std::make_unique<HostProcess>(
                config_dir(i), root_ / ("data" + std::to_string(i)), PLUGIN_DIR,
                std::vector<std::string>{"--store", database_->url(), "--lease-timeout",
                                         std::to_string(kLeaseTimeout.count()) + "ms", "--no-watch"}));
        }
        for (auto &host : hosts_) host->start();
    }
    // The hosts go before the mock they hold connections to, and before their database.
    void TearDown() override {
        hosts_.clear();
        EndToEnd::TearDown();
    }

    std::filesystem::path config_dir(int host) const { return root_ / ("config" + std::to_string(host)); }

    // Host `host`'s own copy of the workspace: one source, one Iterable destination, unpaced.
    void write_config(int host, int batch_size) {
        std::filesystem::create_directories(config_dir(host));
        std::ofstream(config_dir(host) / "e2e.yaml")
            << workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(), kUnpaced,
                                                                 fast_retries("10m", batch_size)));
    }

    // Partitions leased by the given hosts together; nullopt when one of them does not answer.
    std::optional<double> partitions_held(const std::vector<int> &hosts) const {
        double sum = 0;
        for (int i : hosts) {
            const auto held = metric(*hosts_[static_cast<size_t>(i)], "switchyard_partitions_held");
            if (!held) return std::nullopt;
            sum += *held;
        }
        return sum;
    }

    // Whether every one of `hosts` holds some partitions and together they hold them all.
    bool shared_among(const std::vector<int> &hosts) const {
        for (int i : hosts)
            if (metric(*hosts_[static_cast<size_t>(i)], "switchyard_partitions_held").value_or(0) <= 0) return false;
        return partitions_held(hosts) == kPartitions;
    }

    bool all_delivered(const Acknowledged &acknowledged) const {
        return deliveries_of(mock_, acknowledged).missing == 0;
    }

    static constexpr int kBatchSize = 50;
    // The plugin's own pacing raised: the tests measure the cluster, not Iterable's limits.
    static constexpr const char *kUnpaced =
        "      rateLimits: {\"events/track\": 100000, \"events/trackBulk\": 100000}\n";

    std::unique_ptr<TestDatabase> database_;
    MockIterable mock_{unlimited_mock()};
    std::vector<std::unique_ptr<HostProcess>> hosts_;
};

}  // namespace switchyard::testing
