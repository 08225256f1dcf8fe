// Three hosts on one PostgreSQL: kill -9 of one under load loses no acknowledged event and keeps
// each user's order; the survivors take its partitions within the lease timeout; restarted, it
// rejoins and delivers; a hot reload of one host while the others run loses nothing.
#include "tests/e2e/cluster_fixture.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kRounds = 100;  // at most, per client thread (8 × 100 × 25 = 20,000 events): the tests stop sooner
constexpr size_t kAcknowledgedBeforeKill = 2500;
constexpr size_t kAcknowledgedAfterKill = 2500;  // by the two others
// On top of the lease timeout and one heartbeat: a loaded machine, a sanitizer build.
constexpr auto kTakeoverSlack = 2s;
constexpr auto kDeliveryDeadline = 45s;

std::string password_in(const std::string &url) {
    const size_t user = url.find("://") + 3, colon = url.find(':', user), at = url.find('@', user);
    return colon < at ? url.substr(colon + 1, at - colon - 1) : "";
}

TEST_F(Cluster, KillNineOfOneHostUnderLoadLosesNothingKeepsEachUsersOrderAndTheHostRejoins) {
    ASSERT_TRUE(eventually([&] { return shared_among({0, 1, 2}); }, 20s))
        << "the three hosts did not share the partitions: " << partitions_held({0, 1, 2}).value_or(-1) << " held\n"
        << hosts_[0]->log();
    Faults latency;
    latency.latency_ms = 5;  // so that the victim has requests in flight when it dies
    mock_.set_faults(latency);

    Traffic traffic(hosts_, kRounds);
    ASSERT_TRUE(eventually([&] { return traffic.acknowledged_events() >= kAcknowledgedBeforeKill; }));
    const double victim_held = metric(*hosts_[2], "switchyard_partitions_held").value_or(0);
    hosts_[2]->kill9();
    const auto killed_at = std::chrono::steady_clock::now();
    traffic.mark_down(2);
    const bool taken_over = eventually([&] { return partitions_held({0, 1}) == kPartitions; }, 15s);
    const auto takeover = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed_at);
    EXPECT_GT(victim_held, 0) << "the killed host held no partition: its death proves nothing";
    EXPECT_TRUE(taken_over) << partitions_held({0, 1}).value_or(-1) << " partitions held by the survivors";
    EXPECT_LE(takeover, kLeaseTimeout + kHeartbeat + kTakeoverSlack);

    EXPECT_TRUE(eventually([&] { return traffic.acknowledged_events() >= kAcknowledgedBeforeKill + kAcknowledgedAfterKill; }))
        << "the two others stopped acknowledging: " << traffic.acknowledged_events() << " events in all";
    traffic.stop();
    const Acknowledged &acknowledged = traffic.join();
    EXPECT_TRUE(eventually([&] { return all_delivered(acknowledged); }, kDeliveryDeadline))
        << deliveries_of(mock_, acknowledged).missing << " acknowledged events not delivered\n"
        << hosts_[0]->log();
    const size_t duplicates = expect_delivered_in_order(mock_, acknowledged);
    std::cout << "kill -9 after " << kAcknowledgedBeforeKill << " of " << traffic.acknowledged_events()
              << " acknowledged events: " << victim_held
              << " partitions taken over in " << takeover.count() << " ms; " << traffic.failed_requests()
              << " requests failed unacknowledged; " << duplicates << " events delivered twice\n";
    RecordProperty("takeover_ms", static_cast<int>(takeover.count()));
    RecordProperty("delivered_twice", static_cast<int>(duplicates));

    // Restarted on its data directory, the host rejoins: the others hand it a share, and it delivers.
    hosts_[2]->start();
    EXPECT_TRUE(eventually([&] { return shared_among({0, 1, 2}); }, 20s))
        << metric(*hosts_[2], "switchyard_partitions_held").value_or(-1) << " partitions held by the restarted host";
    mock_.set_faults({});
    Traffic after_restart(hosts_, 5, 1'000'000);
    const Acknowledged &acknowledged_after = after_restart.join();
    EXPECT_TRUE(eventually([&] { return all_delivered(acknowledged_after); }, kDeliveryDeadline));
    expect_delivered_in_order(mock_, acknowledged_after);
    EXPECT_GT(metric(*hosts_[2], "switchyard_events_delivered_total").value_or(0), 0)
        << "the restarted host delivered nothing";

    const std::string password = password_in(database_->url());
    ASSERT_FALSE(password.empty());
    for (const auto &host : hosts_) EXPECT_EQ(host->log().find(password), std::string::npos) << "a log shows the password";
}

TEST_F(Cluster, AHotReloadOfOneHostWhileTheOthersDeliverLosesNothingAndKeepsOrder) {
    ASSERT_TRUE(eventually([&] { return shared_among({0, 1, 2}); }, 20s))
        << partitions_held({0, 1, 2}).value_or(-1) << " partitions held";
    Traffic traffic(hosts_, kRounds);
    ASSERT_TRUE(eventually([&] { return traffic.acknowledged_events() >= 2000; }));
    write_config(0, kBatchSize / 2);  // a changed destination: the reload rebuilds it
    const auto reload = hosts_[0]->client()->Post("/admin/reload");
    ASSERT_TRUE(reload) << "no answer to the reload";
    EXPECT_EQ(reload->status, 200) << reload->body;
    const size_t acknowledged_at_reload = traffic.acknowledged_events();
    EXPECT_TRUE(eventually([&] { return traffic.acknowledged_events() >= acknowledged_at_reload + 2000; }))
        << "events stopped flowing after the reload";
    traffic.stop();

    const Acknowledged &acknowledged = traffic.join();
    EXPECT_EQ(traffic.failed_requests(), 0);
    EXPECT_TRUE(eventually([&] { return all_delivered(acknowledged); }, kDeliveryDeadline))
        << deliveries_of(mock_, acknowledged).missing << " acknowledged events not delivered\n"
        << hosts_[0]->log();
    expect_delivered_in_order(mock_, acknowledged);
    EXPECT_TRUE(shared_among({0, 1, 2})) << "the reloaded host left the cluster: "
                                         << metric(*hosts_[0], "switchyard_partitions_held").value_or(-1) << " held";
}

}  // namespace
}  // namespace switchyard::testing
