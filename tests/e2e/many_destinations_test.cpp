// Hundreds of destinations on one host: every user's order kept on a bounded set of threads, a
// backlog that does not starve the others' trickle, a hanging API that holds only its own turns,
// and a reload of one workspace while the others deliver.
#include <dirent.h>

#include <map>
#include <sstream>

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

    // `events` track events for each of the destination's users, seq counting from `first`, in
    // requests of at most 500 events; with `identifies`, each even seq is an identify instead (so a
    // batch makes users/bulkUpdate and events/trackBulk requests, each user's in turn).
    void send(const Destination &d, int events = kEventsPerUser, int first = 0, bool identifies = false) {
        nlohmann::json batch = nlohmann::json::array();
        for (int seq = first; seq < first + events; ++seq) {
            for (int u = 0; u < kUsersPerDestination; ++u)
                batch.push_back(identifies && seq % 2 == 0
                                    ? nlohmann::json{{"type", "identify"}, {"userId", d.user(u)}, {"traits", {{"seq", seq}}}}
                                    : track(d.user(u), seq));
            if (batch.size() < 500 && seq + 1 < first + events) continue;
            ASSERT_EQ(post("batch", {{"batch", batch}}, d.write_key()), 200);
            batch = nlohmann::json::array();
        }
    }

    // Events delivered, from the host's /metrics (all destinations', or one's): cheap to poll, where
    // the mock's recorded state is a copy of every event.
    double delivered(const std::string &destination = "") {
        const std::string series = "switchyard_events_delivered_total{destination=\"" + destination;
        double sum = 0;
        std::istringstream lines(get("/metrics"));
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with(series)) sum += std::stod(line.substr(line.rfind(' ') + 1));
        return sum;
    }

    // Whether every user of each destination has track seqs 0..events-1 (only the odd ones with
    // `identifies`), in that order.
    static void expect_in_order(const MockIterable &mock, const std::vector<Destination> &destinations,
                                int events = kEventsPerUser, bool identifies = false) {
        std::map<std::string, std::vector<int>> seqs;
        const nlohmann::json state = mock.state();
        for (const auto &event : state["events"])
            if (event.contains("dataFields") && event["dataFields"].contains("seq"))
                seqs[event.value("userId", "")].push_back(event["dataFields"]["seq"].get<int>());
        std::vector<int> expected;
        for (int seq = 0; seq < events; ++seq)
            if (!identifies || seq % 2 == 1) expected.push_back(seq);
        for (const Destination &d : destinations)
            for (int u = 0; u < kUsersPerDestination; ++u) EXPECT_EQ(seqs[d.user(u)], expected) << d.user(u);
    }

    static std::string delivery(int workers, int batch_size) {
        return "      workers: " + std::to_string(workers) + "\n      batch_size: " + std::to_string(batch_size) +
               "\n      backoff_base: 50ms\n      backoff_cap: 400ms\n";
    }

    // A second mock, started; a member so that it outlives the host (EndToEnd::TearDown stops the
    // host first): stopping a mock waits for the connections the host keeps alive.
    MockIterable &second_mock(MockOptions options) {
        second_ = std::make_unique<MockIterable>(std::move(options));
        second_->start();
        return *second_;
    }

    MockIterable mock_{unlimited()};
    std::unique_ptr<MockIterable> second_;
};

// Destinations w<first>/d0 .. w<last>/d0.
std::vector<Destination> first_destinations_of(int first, int last) {
    std::vector<Destination> destinations;
    for (int w = first; w <= last; ++w) destinations.push_back({w, 0});
    return destinations;
}

TEST_F(ManyDestinations, ThreeHundredDestinationsKeepEveryUsersOrderOnABoundedSetOfThreads) {
    constexpr int kWorkspaces = 100, kPerWorkspace = 3;
    std::vector<Destination> all;
    for (int w = 0; w < kWorkspaces; ++w) {
        write_workspace(w, std::vector<std::string>(kPerWorkspace, mock_.base_url()), delivery(4, 200));
        for (int k = 0; k < kPerWorkspace; ++k) all.push_back({w, k});
    }
    start({"--delivery-threads", "16"});
    for (const Destination &d : all) send(d);
    const double expected = static_cast<double>(all.size()) * kUsersPerDestination * kEventsPerUser;
    EXPECT_TRUE(eventually([&] { return delivered() == expected; }, 60s)) << delivered() << " delivered\n" << host_->log();
    expect_in_order(mock_, all);
    // 16 delivery threads, whatever the number of destinations (it was 4 per destination).
    EXPECT_LT(threads_of(host_->pid()), 60u);
}

TEST_F(ManyDestinations, EachDestinationIsPacedToItsOwnApiLimitsAndNoneWaitsForAnother) {
    constexpr int kDestinations = 50, kEvents = 150;  // per user: 30 trackBulk requests of 10 per destination
    MockIterable &limited = second_mock(accepting(kDestinations, 1, true));  // Iterable's limits per API key: trackBulk 10/s
    for (int w = 0; w < kDestinations; ++w) write_workspace(w, {limited.base_url()}, delivery(4, 10));
    start({"--delivery-threads", "16"});
    for (int w = 0; w < kDestinations; ++w) send({w, 0}, kEvents);
    // Paced apart, each takes its 30 requests' ~3.3 s at once; one pace for all would take ~170 s.
    EXPECT_TRUE(eventually([&] { return delivered() == kDestinations * kUsersPerDestination * kEvents; }, 60s))
        << delivered() << " delivered\n" << host_->log();
    EXPECT_EQ(limited.stats().by_status[429], 0u);  // none went over its API key's limit
    expect_in_order(limited, first_destinations_of(0, kDestinations - 1), kEvents);
}

TEST_F(ManyDestinations, ThrottledRequestsHoldBackOnlyTheirOwnDestinationsUsers) {
    constexpr int kThrottled = 10, kOthers = 90, kEvents = 20;
    MockIterable &throttling = second_mock(unlimited());
    Faults throttle;
    throttle.throttle_next = 15;  // the first 15 requests to it get 429 with Retry-After: 1
    throttling.set_faults(throttle);
    // Limits high enough that a 429 halving them leaves the test's pace to its Retry-After.
    const std::string limits = "      rateLimits: {\"users/bulkUpdate\": 1000, \"events/trackBulk\": 1000}\n";
    for (int w = 0; w < kThrottled; ++w) write_workspace(w, {throttling.base_url()}, delivery(2, 10), limits);
    for (int w = kThrottled; w < kThrottled + kOthers; ++w) write_workspace(w, {mock_.base_url()}, delivery(2, 10));
    start({"--delivery-threads", "8"});
    for (int w = 0; w < kThrottled + kOthers; ++w) send({w, 0}, kEvents, 0, true);
    const double others = kOthers * kUsersPerDestination * kEvents;
    // The others deliver while the throttled ones wait out their Retry-After.
    EXPECT_TRUE(eventually([&] { return delivered() >= others; }, 60s)) << host_->log();
    EXPECT_TRUE(eventually([&] { return delivered() == others + kThrottled * kUsersPerDestination * kEvents; }, 60s))
        << delivered() << " delivered\n" << host_->log();
    EXPECT_EQ(throttling.stats().by_status[429], 15u);
    // What waited behind a throttled request was held back, not attempted: every user's order holds.
    const std::string metrics = get("/metrics");
    EXPECT_NE(metrics.find("switchyard_events_held_back_total{destination=\"w"), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("switchyard_events_held_back_total{destination=\"w" + std::to_string(kThrottled + 1) + "/d0\"}"),
              std::string::npos);
    expect_in_order(throttling, first_destinations_of(0, kThrottled - 1), kEvents, true);
    expect_in_order(mock_, first_destinations_of(kThrottled, kThrottled + kOthers - 1), kEvents, true);
}

TEST_F(ManyDestinations, ABacklogDoesNotStarveTheTrickleOfTheOthers) {
    MockIterable &slow = second_mock(unlimited());
    Faults latency;
    latency.latency_ms = 50;
    slow.set_faults(latency);
    constexpr int kTrickling = 100, kBacklog = 4000;
    // 400 requests of 50 ms, 2 at a time: 10 s (its pacing allows more than that).
    write_workspace(0, {slow.base_url()}, delivery(2, 10), "      rateLimits: {\"events/trackBulk\": 1000}\n");
    for (int w = 1; w <= kTrickling; ++w) write_workspace(w, {mock_.base_url()}, delivery(2, 10));
    start({"--delivery-threads", "4"});
    send({0, 0}, kBacklog / kUsersPerDestination);
    ASSERT_TRUE(eventually([&] { return delivered("w0/d0") > 0; }, 30s)) << host_->log();
    for (int w = 1; w <= kTrickling; ++w) send({w, 0});
    const double trickle = kTrickling * kUsersPerDestination * kEventsPerUser;
    ASSERT_TRUE(eventually([&] { return delivered() - delivered("w0/d0") == trickle; }, 60s)) << host_->log();
    // Each trickling destination's turn came behind the backlog's at most twice: long before it drained.
    EXPECT_LT(delivered("w0/d0"), kBacklog / 2);
    expect_in_order(mock_, first_destinations_of(1, kTrickling));
    slow.set_faults({});
    EXPECT_TRUE(eventually([&] { return delivered("w0/d0") == kBacklog; }, 60s));
    expect_in_order(slow, {{0, 0}}, kBacklog / kUsersPerDestination);
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
    EXPECT_TRUE(eventually([&] { return delivered() == kHealthy * kUsersPerDestination * kEventsPerUser; }, 60s))
        << delivered() << " delivered\n" << host_->log();
    expect_in_order(mock_, first_destinations_of(1, kHealthy));
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
            ASSERT_TRUE(reload) << "no answer";
            ASSERT_EQ(reload->status, 200) << reload->body;
        }
    }
    send({0, 1});
    const double expected = (kWorkspaces - 1) * kUsersPerDestination * 20 + kUsersPerDestination * kEventsPerUser;
    EXPECT_TRUE(eventually([&] { return delivered() == expected; }, 60s)) << delivered() << " of " << expected << "\n"
                                                                          << host_->log();
    expect_in_order(mock_, first_destinations_of(1, kWorkspaces - 1), 20);
    expect_in_order(mock_, {{0, 1}});
}

}  // namespace
}  // namespace switchyard::testing
