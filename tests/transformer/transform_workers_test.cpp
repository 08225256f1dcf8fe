// Transforms one per worker: a workspace is lent to one call at a time and kept for the next, a
// waiting call gets it once freed, jobs run on the worker's own thread, and many concurrent calls
// through one worker each get their own complete answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance_support.h"
#include "host/transformer/transform_workers.h"
#include "transformer_server.h"

namespace transformer_test {
namespace {

using switchyard::transformer::TransformWorkers;
using switchyard::transformer::WorkerThread;
using switchyard::transformer::Workspace;

TEST(WorkerThread, RunsEachJobOnItsOwnThreadAndRethrowsWhatItThrows) {
    WorkerThread worker;
    std::thread::id ran_on;
    worker.run([&] { ran_on = std::this_thread::get_id(); });
    EXPECT_NE(ran_on, std::thread::id());
    EXPECT_NE(ran_on, std::this_thread::get_id());
    std::thread::id again;
    worker.run([&] { again = std::this_thread::get_id(); });
    EXPECT_EQ(again, ran_on);
    EXPECT_THROW(worker.run([] { throw std::runtime_error("job failed"); }), std::runtime_error);
    bool ran_after = false;
    worker.run([&] { ran_after = true; });
    EXPECT_TRUE(ran_after);
}

TEST(TransformWorkers, LendsEachWorkspaceToOneCallAndAWaitingCallGetsItOnceFreed) {
    TransformWorkers workers(1);
    TransformWorkers::Lease first = workers.acquire();
    Workspace *const only = first.get();
    first->body = "kept between calls";
    Workspace *waited_for = nullptr;
    std::string found;
    std::thread waiting([&] {
        TransformWorkers::Lease second = workers.acquire();  // blocks: the one workspace is lent
        waited_for = second.get();
        found = second->body;
    });
    first.reset();
    waiting.join();
    EXPECT_EQ(waited_for, only);
    EXPECT_EQ(found, "kept between calls");
}

TEST(TransformWorkers, GivesBackWhatAnUnusuallyLargeBodyGrew) {
    TransformWorkers workers(1);
    workers.acquire()->body.reserve(64 * 1024);
    EXPECT_GE(workers.acquire()->body.capacity(), 64u * 1024);
    workers.acquire()->body.reserve(16 * 1024 * 1024);
    EXPECT_LT(workers.acquire()->body.capacity(), 16u * 1024 * 1024);
}

TEST(TransformWorkers, ManyConcurrentCallsThroughOneWorkerEachGetTheirWholeAnswer) {
    const TransformerServer one_worker({iterable_test::iterable_plugin()}, 1);
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
            const Reply reply = one_worker.post(call % 2 == 0 ? "/v0/destinations/iterable" : "/routerTransform",
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

}  // namespace
}  // namespace transformer_test
