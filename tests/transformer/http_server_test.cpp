// The transformer's HTTP server: workspaces lent one call at a time without blocking, many
// concurrent calls through one thread each getting their whole answer, and what it answers
// requests it does not serve (chunked, malformed, over its limits, unknown paths) and when stopping.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "conformance_support.h"
#include "host/transformer/workspace_pool.h"
#include "raw_client.h"
#include "transformer_server.h"

namespace transformer_test {
namespace {

using switchyard::testing::RawClient;
using switchyard::transformer::ServerLimits;
using switchyard::transformer::WorkspacePool;

TEST(WorkspacePool, LendsEachWorkspaceToOneCallAndAWaitingCallGetsItOnceFreed) {
    WorkspacePool pool(1);
    WorkspacePool::Lease first;
    pool.acquire([&](WorkspacePool::Lease lease) { first = std::move(lease); });
    ASSERT_TRUE(first);
    first->body = "kept between calls";
    WorkspacePool::Lease second;
    pool.acquire([&](WorkspacePool::Lease lease) { second = std::move(lease); });
    EXPECT_FALSE(second) << "the one workspace is lent: the second call waits";
    const auto *const only = first.get();
    first.reset();
    ASSERT_TRUE(second) << "given back, it goes to the waiting call";
    EXPECT_EQ(second.get(), only);
    EXPECT_EQ(second->body, "kept between calls");
}

TEST(WorkspacePool, GivesBackWhatAnUnusuallyLargeBodyGrew) {
    WorkspacePool pool(1);
    const auto capacity_after = [&](size_t reserved) {
        pool.acquire([&](WorkspacePool::Lease lease) { lease->body.reserve(reserved); });
        size_t capacity = 0;
        pool.acquire([&](WorkspacePool::Lease lease) { capacity = lease->body.capacity(); });
        return capacity;
    };
    EXPECT_GE(capacity_after(64 * 1024), 64u * 1024);
    EXPECT_LT(capacity_after(16 * 1024 * 1024), 16u * 1024 * 1024);
}

TEST(HttpServer, ManyConcurrentCallsThroughOneThreadEachGetTheirWholeAnswer) {
    const TransformerServer one_thread({iterable_test::iterable_plugin()}, 1);
    const json config = {{"apiKey", "test-api-key-0001"}, {"dataCenter", "USDC"}};
    const auto processor_body = [&](int call) {
        json items = json::array();
        for (int k = 0; k < 50; ++k) {
            const std::string user = "u" + std::to_string(call) + "-" + std::to_string(k);
            items.push_back({{"message", {{"type", "identify"}, {"userId", user}, {"traits", {{"email", user + "@example.com"}}}}},
                             {"metadata", {{"jobId", call * 100 + k}}},
                             {"destination", {{"ID", "d1"}, {"Config", config}}}});
        }
        return items;
    };
    constexpr int kCalls = 8;
    std::vector<json> answers(kCalls);
    std::vector<std::thread> calls;
    for (int call = 0; call < kCalls; ++call)
        calls.emplace_back([&, call] {
            const Reply reply = one_thread.post(call % 2 == 0 ? "/v0/destinations/iterable" : "/routerTransform",
                                                call % 2 == 0 ? processor_body(call).dump()
                                                              : json{{"input", processor_body(call)}, {"destType", "ITERABLE"}}.dump());
            answers[call] = reply.status == 200 ? reply.parsed() : json(reply.status);
        });
    for (std::thread &call : calls) call.join();
    for (int call = 0; call < kCalls; ++call) {
        std::vector<int> jobs;
        const json &entries = call % 2 == 0 ? answers[call] : answers[call]["output"];
        ASSERT_TRUE(entries.is_array()) << answers[call].dump();
        for (const json &entry : entries) {
            EXPECT_EQ(entry["statusCode"], 200) << entry.dump();
            if (call % 2 == 0) jobs.push_back(entry["metadata"]["jobId"]);
            else
                for (const json &metadata : entry["metadata"]) jobs.push_back(metadata["jobId"]);
        }
        std::sort(jobs.begin(), jobs.end());
        ASSERT_EQ(jobs.size(), 50u) << "call " << call;
        for (int k = 0; k < 50; ++k) EXPECT_EQ(jobs[k], call * 100 + k);
    }
}

// What the server answers `request` on a fresh connection, whole, and whether it then closed.
std::string answer_to(int port, const std::string &request) {
    RawClient client(port);
    EXPECT_TRUE(client.connected());
    client.send(request);
    std::string answer = client.read_until_closed();
    EXPECT_TRUE(client.closed()) << "the server keeps a connection open after refusing a request";
    return answer;
}

TEST(HttpServer, RefusesWhatItDoesNotServeWithAStatusAndASentence) {
    const TransformerServer server({iterable_test::iterable_plugin()}, 1, ServerLimits{1000, 16});
    const std::string chunked = answer_to(server.port(),
                                          "POST /routerTransform HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                          "2\r\n{}\r\n0\r\n\r\n");
    EXPECT_TRUE(chunked.starts_with("HTTP/1.1 411 ")) << chunked;
    EXPECT_NE(chunked.find("Content-Length"), std::string::npos);
    const std::string malformed = answer_to(server.port(), "POST /routerTransform HTTP/1.1\r\nHost t\r\n\r\n");
    EXPECT_TRUE(malformed.starts_with("HTTP/1.1 400 ")) << malformed;
    EXPECT_NE(malformed.find("Malformed HTTP request"), std::string::npos) << malformed;
    const std::string large = answer_to(server.port(), "POST /routerTransform HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n" +
                                                           std::string(2000, ' '));
    EXPECT_TRUE(large.starts_with("HTTP/1.1 413 ")) << large;
    EXPECT_NE(large.find("--max-body-bytes (1000)"), std::string::npos) << large;
    const std::string unknown = answer_to(server.port(), "GET /v0/nothing HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_TRUE(unknown.starts_with("HTTP/1.1 404 ")) << unknown;
    EXPECT_EQ(server.get("/health").status, 200) << "refused requests leave the server serving";
}

TEST(HttpServer, AnswersAConnectionOverTheLimit503AndServesTheOthers) {
    const TransformerServer server({iterable_test::iterable_plugin()}, 1, ServerLimits{1000, 2});
    RawClient first(server.port()), second(server.port());
    ASSERT_TRUE(first.connected() && second.connected());
    ASSERT_TRUE(first.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(second.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_NE(first.read_answer().find(R"({"service":"UP"})"), std::string::npos);
    EXPECT_NE(second.read_answer().find(R"({"service":"UP"})"), std::string::npos);
    const std::string third = answer_to(server.port(), "GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_TRUE(third.starts_with("HTTP/1.1 503 ")) << third;
    EXPECT_NE(third.find("at most 2 at once"), std::string::npos) << third;
    ASSERT_TRUE(first.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_NE(first.read_answer().find(R"({"service":"UP"})"), std::string::npos) << "kept alive, still served";
}

TEST(HttpServer, StoppingClosesIdleConnectionsAndReturns) {
    auto server = std::make_unique<TransformerServer>(std::vector{iterable_test::iterable_plugin()}, 2);
    RawClient idle(server->port());
    ASSERT_TRUE(idle.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_NE(idle.read_answer().find("200 OK"), std::string::npos);
    server.reset();  // stop(), then run() must return although a client keeps its connection open
    idle.read_until_closed(std::chrono::seconds(5));
    EXPECT_TRUE(idle.closed());
}

}  // namespace
}  // namespace transformer_test
