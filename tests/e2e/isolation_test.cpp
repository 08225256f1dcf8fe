// A destination that hangs or is down never delays another destination of the same source.
#include "tests/e2e/black_hole.h"
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

// A loopback port with nothing listening: connections are refused at once.
std::string closed_port_url() {
    MockIterable gone{MockOptions{}};
    const int port = gone.start();
    gone.stop();
    return "http://127.0.0.1:" + std::to_string(port) + "/api/";
}

// The mocks are members so that they outlive the host (EndToEnd::TearDown stops it first).
class ThreeDestinations : public EndToEnd {
   protected:
    void SetUp() override { healthy_.start(); }

    MockIterable healthy_{MockOptions{}};
    BlackHole hanging_;
};

TEST_F(ThreeDestinations, AHangingOrDownDestinationDoesNotDelayAnother) {
    const std::string hang_settings = "      requestTimeoutMs: 120000\n";
    start_host(workspace_yaml({"hanging", "down", "healthy"},
                              iterable_destination("hanging", hanging_.base_url(), hang_settings) +
                                  iterable_destination("down", closed_port_url()) +
                                  iterable_destination("healthy", healthy_.base_url())));
    for (int seq = 0; seq < 200; ++seq) ASSERT_EQ(post("track", track("u" + std::to_string(seq % 7), seq)), 200);
    // Well inside the hanging destination's request timeout: a shared worker would still be stuck.
    EXPECT_TRUE(eventually([&] { return recorded_seqs(healthy_).size() == 200; }, std::chrono::seconds(30)))
        << recorded_seqs(healthy_).size() << " of 200 delivered\n" << host_->log();
    const std::string metrics = get("/metrics");
    EXPECT_NE(metrics.find("switchyard_queue_depth{destination=\"e2e/hanging\"} 200"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("switchyard_queue_depth{destination=\"e2e/down\"} 200"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace switchyard::testing
