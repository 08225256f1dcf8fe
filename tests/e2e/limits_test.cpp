// The running host under greedy and slow clients: a bound on connections, then 503; requests
// that dribble in are cut with 408 and store nothing; ordinary clients meanwhile and afterwards
// get their events stored and delivered.
#include <numeric>
#include <thread>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/raw_client.h"

namespace switchyard::testing {
namespace {

using namespace std::chrono_literals;

class ClientLimits : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }

    MockIterable mock_{MockOptions{.api_keys = {kApiKey}, .rate_limits = false, .disallowed_events = {}}};
};

TEST_F(ClientLimits, GreedyAndSlowClientsAreBoundedWhileOthersDeliver) {
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())), PLUGIN_DIR,
               {"--max-connections", "3", "--request-timeout", "1s", "--idle-timeout", "60s"});
    const auto [header, value] = httplib::make_basic_authentication_header(kWriteKey, "");
    const std::string authorization = header + ": " + value;
    RawClient slow_headers(host_->port());
    RawClient slow_body(host_->port());
    RawClient silent(host_->port());
    ASSERT_TRUE(slow_headers.send("POST /v1/track HTTP/1.1\r\nHost: h\r\n"));
    ASSERT_TRUE(slow_body.send("POST /v1/track HTTP/1.1\r\nHost: h\r\n" + authorization +
                               "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"userId\":\"slow\","));

    RawClient greedy(host_->port());  // the fourth at once: over the bound
    ASSERT_TRUE(greedy.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n"));
    const std::string refused = greedy.read_until_closed();
    EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
    EXPECT_NE(refused.find("limit of 3 open connections"), std::string::npos) << refused;

    std::string cut_headers, cut_body;
    for (int i = 0; i < 50 && !(slow_headers.closed() && slow_body.closed()); ++i) {  // never silent for 5 s
        slow_headers.send("X-Slow: " + std::to_string(i) + "\r\n");
        slow_body.send(" ");
        cut_headers += slow_headers.read_until_closed(50ms);
        cut_body += slow_body.read_until_closed(50ms);
    }
    EXPECT_EQ(cut_headers.rfind("HTTP/1.1 408", 0), 0u) << cut_headers;
    EXPECT_EQ(cut_body.rfind("HTTP/1.1 408", 0), 0u) << cut_body;

    auto client = host_->client();  // one kept-alive connection: room for it again, beside the silent one
    client->set_keep_alive(true);
    client->set_basic_auth(kWriteKey, "");
    for (int seq = 0; seq < 20; ++seq) {
        const httplib::Result result = client->Post("/v1/track", track("u1", seq).dump(), "application/json");
        ASSERT_TRUE(result) << "no answer";
        ASSERT_EQ(result->status, 200) << result->body;
    }
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() >= 20; })) << host_->log();
    std::vector<int> expected(20);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(recorded_seqs(mock_), expected);  // and nothing of the slow client's event

    const std::string metrics = client->Get("/metrics")->body;
    EXPECT_NE(metrics.find("switchyard_http_connections_refused_total{reason=\"full\"} 1\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("switchyard_http_requests_timed_out_total 2\n"), std::string::npos) << metrics;
    EXPECT_FALSE(silent.closed());
}

}  // namespace
}  // namespace switchyard::testing
