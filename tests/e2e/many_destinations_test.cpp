// Hundreds of destinations on one host: every user's order kept on a bounded set of threads, a
// backlog that does not starve the others' trickle, a hanging API that holds only its own turns,
// and a reload of one workspace while the others deliver.
#include <dirent.h>

#include "tests/e2e/black_hole.h"
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kUsersPerDestination = 2;
constexpr int kEventsPerUser = 5;

size_t threads_of(pid_t pid) {
    size_t count = 0;
    if (DIR *dir = opendir(("/proc/" + std::to_string(pid) + "/task").c_str())) {
        while (const dirent *entry = readdir(dir))
            if (entry->d_name[0] != '.') ++count;
        closedir(dir);
    }
    return count;
}

// Workspace `w<i>` has destinations d0..d<n-1>, each fed by a source of its own (write key
// `wk-<i>-<k>`), so that every user's events reach exactly one destination.
struct Destination {
    int workspace;
    int index;
    std::string write_key() const { return "wk-" + std::to_string(workspace) + "-" + std::to_string(index); }
    std::string api_key() const { return "key-" + std::to_string(workspace) + "-" + std::to_string(index); }
    std::string user(int u) const {
        return "w" + std::to_string(workspace) + "-d" + std::to_string(index) + "-u" + std::to_string(u);
    }
};

std::string destination_yaml(const std::string &id, const std::string &url, const std::string &delivery,
                             const std::string &extra_settings) {
    return "  - id: " + id + "\n    plugin: iterable\n    settings:\n      endpoint: " + url + "\n" + extra_settings +
           "    delivery:\n" + delivery;
}

// Every destination of the workspaces below has an API key of its own.
MockOptions accepting(int workspaces, int per_workspace, bool rate_limits) {
    MockOptions options;
    options.rate_limits = rate_limits;
    options.api_keys.clear();
    for (int w = 0; w < workspaces; ++w)
        for (int k = 0; k < per_workspace; ++k) options.api_keys.push_back(Destination{w, k}.api_key());
    return options;
}

// No rate limits: the tests measure the host's fairness, not Iterable's pacing.
MockOptions unlimited() { return accepting(101, 3, false); }

class ManyDestinations : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    // Writes workspace file `w<i>.yaml` with `urls.size()` destinations, destination k at urls[k].
    void write_workspace(int workspace, const std::vector<std::string> &urls, const std::string &delivery,
                         const std::string &extra_settings = "") {
        std::string sources, destinations;
        for (int k = 0; k < static_cast<int>(urls.size()); ++k) {
            const Destination d{workspace, k};
            sources += "  - id: s" + std::to_string(k) + "\n    write_key: " + d.write_key() + "\n    destinations: [d" +
                       std::to_string(k) + "]\n";
            destinations += destination_yaml("d" + std::to_string(k), urls[static_cast<size_t>(k)], delivery,
                                             "      apiKey: " + d.api_key() + "\n" + extra_settings);
        }
        std::ofstream(root_ / "config" / ("w" + std::to_string(workspace) + ".yaml"))
            << "workspace: w" << workspace << "\nsources:\n" << sources << "destinations:\n" << destinations;
    }

    void start(std::vector<std::string> flags) {
        host_ = std::make_unique<HostProcess>(root_ / "config", root_ / "data", PLUGIN_DIR, std::move(flags));
        host_->start();
    }

    // `events` track events for each of the destination's users, seq counting from `first`.
    void send(const Destination &d, int events = kEventsPerUser, int first = 0) {
        nlohmann::json batch = nlohmann::json::array();
        for (int seq = first; seq < first + events; ++seq)
            for (int u = 0; u < kUsersPerDestination; ++u) batch.push_back(track(d.user(u), seq));
        ASSERT_EQ(post("batch", {{"batch", batch}}, d.write_key()), 200);
    }

    // Whether every user of `d` has seqs 0..events-1, in that order.
    bool delivered_in_order(const MockIterable &mock, const Destination &d, int events = kEventsPerUser) const {
        std::vector<int> expected(static_cast<size_t>(events));
        for (int seq = 0; seq < events; ++seq) expected[static_cast<size_t>(seq)] = seq;
        for (int u = 0; u < kUsersPerDestination; ++u)
            if (recorded_seqs(mock, d.user(u)) != expected) return false;
        return true;
    }

    static std::string delivery(int workers, int batch_size) {
        return "      workers: " + std::to_string(workers) + "\n      batch_size: " + std::to_string(batch_size) +
               "\n      backoff_base: 50ms\n      backoff_cap: 400ms\n";
    }

    MockIterable mock_{unlimited()};
};

TEST_F(ManyDestinations, ThreeHundredDestinationsKeepEveryUsersOrderOnABoundedSetOfThreads) {
    constexpr int kWorkspaces = 100, kPerWorkspace = 3;
    std::vector<Destination> all;
    for (int w = 0; w < kWorkspaces; ++w) {
        write_workspace(w, std::vector<std::string>(kPerWorkspace, mock_.base_url()), delivery(4, 200));
        for (int k = 0; k < kPerWorkspace; ++k) all.push_back({w, k});
    }
    start({"--delivery-threads", "16"});
    for (const Destination &d : all) send(d);
    EXPECT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == all.size() * kUsersPerDestination * kEventsPerUser; },
                           60s))
        << recorded_seqs(mock_).size() << " events delivered\n" << host_->log();
    for (const Destination &d : all) EXPECT_TRUE(delivered_in_order(mock_, d)) << d.user(0);
    // 16 delivery threads, whatever the number of destinations (it was 4 per destination).
    EXPECT_LT(threads_of(host_->pid()), 60u);
}

TEST_F(ManyDestinations, EachDestinationIsPacedToItsOwnApiLimitsAndNoneWaitsForAnother) {
    constexpr int kDestinations = 50, kEvents = 150;  // per user: 30 trackBulk requests of 10 per destination
    MockIterable limited{accepting(kDestinations, 1, true)};  // Iterable's limits per API key: trackBulk 10/s
    limited.start();
    for (int w = 0; w < kDestinations; ++w) write_workspace(w, {limited.base_url()}, delivery(4, 10));
    start({"--delivery-threads", "16"});
    for (int w = 0; w < kDestinations; ++w) send({w, 0}, kEvents);
    // Paced apart, each takes its 30 requests' ~3.3 s at once; one pace for all would take ~170 s.
    EXPECT_TRUE(eventually([&] { return recorded_seqs(limited).size() == kDestinations * kUsersPerDestination * kEvents; },
                           60s))
        << recorded_seqs(limited).size() << " delivered\n" << host_->log();
    EXPECT_EQ(limited.stats().by_status[429], 0u);  // none went over its API key's limit
    for (int w = 0; w < kDestinations; ++w) EXPECT_TRUE(delivered_in_order(limited, {w, 0}, kEvents));
}

TEST_F(ManyDestinations, ABacklogDoesNotStarveTheTrickleOfTheOthers) {
    MockIterable slow{unlimited()};
    slow.start();
    Faults latency;
    latency.latency_ms = 20;
    slow.set_faults(latency);
    constexpr int kTrickling = 100, kBacklog = 4000;
    write_workspace(0, {slow.base_url()}, delivery(2, 10));  // 400 requests of 20 ms, 2 at a time: 4 s
    for (int w = 1; w <= kTrickling; ++w) write_workspace(w, {mock_.base_url()}, delivery(2, 10));
    start({"--delivery-threads", "4"});
    send({0, 0}, kBacklog / kUsersPerDestination);
    ASSERT_TRUE(eventually([&] { return !recorded_seqs(slow).empty(); }, 30s)) << host_->log();
    for (int w = 1; w <= kTrickling; ++w) send({w, 0});
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == kTrickling * kUsersPerDestination * kEventsPerUser; },
                           60s))
        << host_->log();
    // Each trickling destination's turn came behind the backlog's at most twice: long before it drained.
    EXPECT_LT(recorded_seqs(slow).size(), kBacklog / 2u);
    for (int w = 1; w <= kTrickling; ++w) EXPECT_TRUE(delivered_in_order(mock_, {w, 0}));
    slow.set_faults({});
    EXPECT_TRUE(eventually([&] { return recorded_seqs(slow).size() == kBacklog; }, 60s));
    EXPECT_TRUE(delivered_in_order(slow, {0, 0}, kBacklog / kUsersPerDestination));
}

TEST_F(ManyDestinations, AHangingApiHoldsOnlyItsOwnTurnsThreads) {
    BlackHole hanging;
    constexpr int kHealthy = 100;
    // Its requests hang for 2 minutes: its 2 turns hold 2 of the 4 threads all along.
    write_workspace(0, {hanging.base_url()}, delivery(2, 10), "      requestTimeoutMs: 120000\n");
    for (int w = 1; w <= kHealthy; ++w) write_workspace(w, {mock_.base_url()}, delivery(2, 10));
    start({"--delivery-threads", "4"});
    send({0, 0}, 50);
    for (int w = 1; w <= kHealthy; ++w) send({w, 0});
    EXPECT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == kHealthy * kUsersPerDestination * kEventsPerUser; },
                           60s))
        << recorded_seqs(mock_).size() << " delivered\n" << host_->log();
    for (int w = 1; w <= kHealthy; ++w) EXPECT_TRUE(delivered_in_order(mock_, {w, 0}));
}

TEST_F(ManyDestinations, AReloadOfOneWorkspaceLetsTheOthersDeliverOnInOrder) {
    constexpr int kWorkspaces = 50;
    for (int w = 0; w < kWorkspaces; ++w) write_workspace(w, {mock_.base_url()}, delivery(2, 20));
    start({"--delivery-threads", "8"});
    for (int round = 0; round < 4; ++round) {
        for (int w = 1; w < kWorkspaces; ++w) send({w, 0}, 5, round * 5);
        if (round == 1) {  // workspace 0 gets a second destination while the others deliver
            write_workspace(0, {mock_.base_url(), mock_.base_url()}, delivery(2, 20));
            auto client = host_->client();
            const auto reload = client->Post("/admin/reload");
            ASSERT_TRUE(reload && reload->status == 200) << (reload ? reload->body : "no answer");
        }
    }
    send({0, 1});
    const size_t expected = (kWorkspaces - 1) * kUsersPerDestination * 20 + kUsersPerDestination * kEventsPerUser;
    EXPECT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == expected; }, 60s))
        << recorded_seqs(mock_).size() << " of " << expected << "\n" << host_->log();
    for (int w = 1; w < kWorkspaces; ++w) EXPECT_TRUE(delivered_in_order(mock_, {w, 0}, 20)) << w;
    EXPECT_TRUE(delivered_in_order(mock_, {0, 1}));
}

}  // namespace
}  // namespace switchyard::testing
