// The Iterable plugin's send hook over real loopback HTTP against the mock Iterable:
// every recorded delivery case, keep-alive reuse, timeouts, pacing under the rate limits; and
// `switchyard send` end to end: outcomes in input order, retries, per-user hold-back, bad lines.
#include <sys/wait.h>

#include <cstdio>
#include <atomic>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "host/delivery/pacer.h"
#include "host/plugin/destination.h"
#include "mock_iterable.h"
#include "tests/data/conformance_data.h"

namespace {

using Json = nlohmann::ordered_json;
using switchyard::testing::MockIterable;

std::shared_ptr<switchyard::Destination> iterable_destination(const nlohmann::json &settings) {
    auto loaded = switchyard::load_plugin(std::string(PLUGIN_DIR) + "/iterable.so");
    EXPECT_NE(loaded.plugin, nullptr) << loaded.refusal;
    std::string error;
    auto destination = switchyard::Destination::create(loaded.plugin, "test", settings.dump(), error);
    EXPECT_NE(destination, nullptr) << error;
    return destination;
}

// A request as the transform would have built it, aimed at the mock.
struct OwnedRequest {
    std::string url, body, key;
    std::vector<uint32_t> indexes;
    std::vector<sy_header> headers;
    sy_request view() {
        headers = {{sizeof(sy_header), {"Content-Type", 12}, {"application/json", 16}},
                   {sizeof(sy_header), {"Api-Key", 7}, {key.data(), key.size()}}};
        sy_request r{};
        r.struct_size = sizeof r;
        r.method = {"POST", 4};
        r.url = {url.data(), url.size()};
        r.headers = headers.data();
        r.header_count = headers.size();
        r.body = {body.data(), body.size()};
        r.event_indexes = indexes.data();
        r.event_count = indexes.size();
        return r;
    }
};

std::string path_of(const std::string &endpoint) { return endpoint.substr(endpoint.find("/api/")); }

TEST(IterableSend, EveryRecordedDeliveryCaseGradesLikeTheReferenceOverHttp) {
    MockIterable mock({});
    mock.start();
    auto destination = iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}});
    for (const Json &c : Json::parse(conformance_data::read("iterable/delivery.json"))) {
        SCOPED_TRACE(c["case_id"].get<std::string>());
        const Json &input = c["input"];
        const std::string path = path_of(input["endpoint"].get<std::string>());
        mock.queue_response(path, c["destination_http_response"]["status"].get<int>(),
                            c["destination_http_response"]["body"].dump());
        OwnedRequest owned{mock.base_url() + path.substr(5), input["body"]["JSON"].dump(), "test-api-key", {}, {}};
        for (size_t i = 0; i < input["metadata"].size(); ++i) owned.indexes.push_back(static_cast<uint32_t>(i));
        const std::string kind = input["endpointPath"].get<std::string>();  // what transform labels it
        sy_request request = owned.view();
        request.rate_key = request.kind = {kind.data(), kind.size()};
        switchyard::SendResult sent = destination->send(request);
        ASSERT_TRUE(sent);
        const Json &jobs = c["expected"]["body"]["output"]["response"];
        for (size_t i = 0; i < jobs.size(); ++i) {
            const bool shared = sent->events.empty();
            const sy_outcome outcome = shared ? sent->fields.outcome : sent->events[i].outcome;
            const uint32_t status = shared ? sent->fields.http_status : sent->events[i].status;
            EXPECT_EQ(status, jobs[i]["statusCode"].get<uint32_t>()) << "job " << i;
            EXPECT_EQ(outcome == SY_OK, jobs[i]["error"] == "success") << "job " << i;
        }
    }
}

// Grading follows the request's own kind (its rate_key), not the URL's text: with a base URL
// without "/api/", the items a bulk answer lists as failed once went out as delivered.
TEST(IterableSend, BulkItemFailuresReachTheirEventsWhateverTheBaseUrl) {
    httplib::Server iterable;
    iterable.set_keep_alive_max_count(1);  // closes after answering, so stop() need not wait out keep-alive
    iterable.Post("/users/bulkUpdate", [](const httplib::Request &, httplib::Response &res) {
        res.set_content(R"({"successCount":1,"failCount":1,"invalidEmails":["not-an-email"]})", "application/json");
    });
    const std::string base = "http://127.0.0.1:" + std::to_string(iterable.bind_to_any_port("127.0.0.1"));
    std::thread serving([&] { iterable.listen_after_bind(); });
    auto destination = iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", base}});
    const std::string events[] = {R"({"type":"identify","userId":"u1","traits":{"email":"a@x.io"}})",
                                  R"({"type":"identify","userId":"u2","traits":{"email":"not-an-email"}})"};
    const sy_str_view views[] = {{events[0].data(), events[0].size()}, {events[1].data(), events[1].size()}};
    switchyard::TransformResult built = destination->transform(views, destination->plugin().max_events_per_request());
    ASSERT_TRUE(built);
    ASSERT_EQ(built->requests.size(), 1u);
    const sy_str_view url = built->requests[0].fields.url;
    EXPECT_EQ(std::string(url.ptr, url.len), base + "/users/bulkUpdate");
    switchyard::SendResult sent = destination->send(*built->requests[0].as_made);
    iterable.stop();
    serving.join();
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->fields.outcome, SY_OK);
    ASSERT_EQ(sent->events.size(), 2u);
    EXPECT_EQ(sent->events[0].outcome, SY_OK);
    EXPECT_EQ(sent->events[1].outcome, SY_ABORT);
    EXPECT_EQ(std::string(sent->events[1].message.ptr, sent->events[1].message.len),
              "email error:\"not-an-email\" in \"invalidEmails\".");
}

TEST(IterableSend, ConnectionsAreReusedAcrossRequests) {
    MockIterable mock({});
    mock.start();
    auto destination = iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}});
    OwnedRequest owned{mock.base_url() + "events/track", R"({"userId":"u1","eventName":"e"})", "test-api-key", {0}, {}};
    const sy_request request = owned.view();
    for (int i = 0; i < 50; ++i) {
        switchyard::SendResult sent = destination->send(request);
        ASSERT_TRUE(sent);
        ASSERT_EQ(sent->fields.outcome, SY_OK) << std::string(sent->fields.message.ptr, sent->fields.message.len);
    }
    EXPECT_EQ(mock.stats().requests, 50u);
    EXPECT_LE(mock.stats().connections, 2u);  // keep-alive: one connection serves them all
}

TEST(IterableSend, ManyThreadsShareOneInstanceSafely) {
    MockIterable mock({});
    mock.start();
    auto destination = iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}});
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            OwnedRequest owned{mock.base_url() + "events/track",
                               R"({"userId":"u)" + std::to_string(t) + R"(","eventName":"e"})", "test-api-key", {0}, {}};
            const sy_request request = owned.view();
            for (int i = 0; i < 25; ++i) {
                switchyard::SendResult sent = destination->send(request);
                if (sent && sent->fields.outcome == SY_OK) ++ok;
            }
        });
    for (std::thread &t : threads) t.join();
    EXPECT_EQ(ok, 100);
    EXPECT_EQ(mock.state()["events"].size(), 100u);
    EXPECT_LE(mock.stats().connections, 4u);  // one pooled keep-alive connection per concurrent sender
}

TEST(IterableSend, GzipBodiesWhenAsked) {
    MockIterable mock({});
    mock.start();
    auto destination =
        iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}, {"gzipRequests", true}});
    OwnedRequest owned{mock.base_url() + "events/track", R"({"userId":"u1","eventName":"Zipped"})", "test-api-key", {0}, {}};
    switchyard::SendResult sent = destination->send(owned.view());
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->fields.outcome, SY_OK);
    EXPECT_EQ(mock.state()["events"][0]["eventName"], "Zipped");
}

TEST(IterableSend, AStalledServerIsATimeoutAndRetried) {
    MockIterable mock({});
    mock.start();
    mock.set_faults({.stall_ms = 2000});
    auto destination = iterable_destination(
        {{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}, {"requestTimeoutMs", 300}});
    OwnedRequest owned{mock.base_url() + "events/track", R"({"userId":"u1","eventName":"e"})", "test-api-key", {0}, {}};
    const auto started = std::chrono::steady_clock::now();
    switchyard::SendResult sent = destination->send(owned.view());
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->fields.outcome, SY_RETRY);
    EXPECT_EQ(sent->fields.http_status, 0u);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1900));
}

TEST(IterableSend, WrongApiKeyAbortsWithIterablesMessage) {
    MockIterable mock({});
    mock.start();
    auto destination = iterable_destination({{"apiKey", "wrong-key"}, {"endpoint", mock.base_url()}});
    OwnedRequest owned{mock.base_url() + "events/track", R"({"userId":"u1","eventName":"e"})", "wrong-key", {0}, {}};
    switchyard::SendResult sent = destination->send(owned.view());
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->fields.outcome, SY_ABORT);
    EXPECT_EQ(sent->fields.http_status, 401u);
    EXPECT_NE(std::string(sent->fields.message.ptr, sent->fields.message.len).find("Invalid API key"), std::string::npos);
}

TEST(IterableSend, ServerErrorsRetryAndThrottlingCarriesRetryAfter) {
    MockIterable mock({});
    mock.start();
    auto destination = iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}});
    OwnedRequest owned{mock.base_url() + "events/track", R"({"userId":"u1","eventName":"e"})", "test-api-key", {0}, {}};
    mock.set_faults({.error_rate = 1.0});
    switchyard::SendResult failed = destination->send(owned.view());
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->fields.outcome, SY_RETRY);
    mock.set_faults({.throttle_next = 1});
    switchyard::SendResult throttled = destination->send(owned.view());
    ASSERT_TRUE(throttled);
    EXPECT_EQ(throttled->fields.outcome, SY_THROTTLED);
    EXPECT_EQ(throttled->fields.retry_after_ms, 1000u);
}

TEST(IterableSend, PacedFloodStaysUnderIterablesLimits) {
    MockIterable mock({});  // enforces Iterable's limits: events/trackBulk 10 requests/s
    mock.start();
    auto destination = iterable_destination({{"apiKey", "test-api-key"}, {"endpoint", mock.base_url()}});
    switchyard::Pacer pacer(destination->rate_limits());
    OwnedRequest owned{mock.base_url() + "events/trackBulk", R"({"events":[{"userId":"u1","eventName":"e"}]})",
                       "test-api-key", {0}, {}};
    sy_request request = owned.view();
    request.rate_key = request.kind = {"events/trackBulk", 16};
    for (int i = 0; i < 25; ++i) {
        std::this_thread::sleep_until(pacer.reserve("events/trackBulk"));
        switchyard::SendResult sent = destination->send(request);
        ASSERT_TRUE(sent);
        EXPECT_EQ(sent->fields.outcome, SY_OK) << "request " << i << ": " << std::string(sent->fields.message.ptr, sent->fields.message.len);
    }
}

// Runs `switchyard send` with the Iterable plugin against the mock, in router mode unless
// `more_flags` says otherwise (the last --mode wins); returns exit code and output.
std::pair<int, std::string> run_send(const MockIterable &mock, const std::string &api_key, const std::string &events,
                                     const std::string &more_flags = "") {
    // Named after the test: ctest runs the tests of this file in parallel processes.
    const std::string prefix =
        ::testing::TempDir() + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-send-";
    std::ofstream(prefix + "settings.json") << nlohmann::json{{"apiKey", api_key}, {"endpoint", mock.base_url()}}.dump();
    std::ofstream(prefix + "events.ndjson") << events;
    const std::string command = std::string(SWITCHYARD_BIN) + " send --plugin-dir " PLUGIN_DIR
                                " --plugin iterable --settings " + prefix + "settings.json --mode router " + more_flags + " < " + prefix +
                                "events.ndjson 2>&1";
    FILE *pipe = ::popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

const std::string kSendEvents =
    R"({"type":"identify","userId":"u1","traits":{"email":"a@x.io","plan":"pro"}})" "\n"
    R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"email":"a@x.io"}})" "\n"
    R"({"type":"group","userId":"u1"})" "\n";

TEST(SwitchyardSend, DeliversAndPrintsOneOutcomePerEvent) {
    MockIterable mock({});
    mock.start();
    auto [code, output] = run_send(mock, "test-api-key", kSendEvents);
    EXPECT_EQ(code, 0);  // Iterable takes no group calls: skipped, which is no failure
    EXPECT_EQ(output,
              "{\"index\":0,\"outcome\":\"ok\",\"status\":200}\n"
              "{\"index\":1,\"outcome\":\"ok\",\"status\":200}\n"
              "{\"index\":2,\"outcome\":\"skipped\",\"status\":0,\"error\":\"message type \\\"group\\\" is not "
              "supported by this destination\"}\n");
    const nlohmann::json state = mock.state();
    EXPECT_EQ(state["users"]["a@x.io"]["dataFields"]["plan"], "pro");
    EXPECT_EQ(state["events"][0]["eventName"], "Signed Up");
}

TEST(SwitchyardSend, AWrongApiKeyAbortsAndTheKeyNeverAppearsInOutput) {
    MockIterable mock({});
    mock.start();
    auto [code, output] = run_send(mock, "sk-wrong-key-0123456789", kSendEvents);
    EXPECT_EQ(code, 1);
    EXPECT_NE(output.find("\"outcome\":\"abort\",\"status\":401"), std::string::npos) << output;
    EXPECT_EQ(output.find("sk-wrong-key-0123456789"), std::string::npos) << output;
}

TEST(SwitchyardSend, AnAnswerQuotingTheApiKeyIsPrintedRedacted) {
    switchyard::testing::MockOptions options;
    options.api_keys = {"sk-echoed-key-0123456789"};
    MockIterable mock(options);
    mock.start();
    mock.queue_response("/api/users/bulkUpdate", 400, R"({"msg":"Invalid API key sk-echoed-key-0123456789"})");
    auto [code, output] = run_send(mock, "sk-echoed-key-0123456789", kSendEvents);
    EXPECT_EQ(code, 1);
    EXPECT_NE(output.find("Invalid API key [redacted]"), std::string::npos) << output;
    EXPECT_EQ(output.find("sk-echoed-key-0123456789"), std::string::npos) << output;
}

// --retries N allows N more attempts through the runner's retry policy: a 500 then a 200 is ok.
TEST(SwitchyardSend, ARequestAnsweringRetryIsSentAgainUnderRetries) {
    MockIterable mock({});
    mock.start();
    mock.queue_response("/api/users/bulkUpdate", 500, R"({"msg":"try later"})");
    auto [code, output] = run_send(mock, "test-api-key", kSendEvents.substr(0, kSendEvents.find('\n') + 1), "--retries 1");
    EXPECT_EQ(code, 0) << output;
    EXPECT_EQ(output, "{\"index\":0,\"outcome\":\"ok\",\"status\":200}\n");
    EXPECT_EQ(mock.stats().by_path.at("users/bulkUpdate"), 2u);
}

TEST(SwitchyardSend, WithoutRetriesARetryAnswerIsTheEventsOutcome) {
    MockIterable mock({});
    mock.start();
    mock.queue_response("/api/users/bulkUpdate", 500, R"({"msg":"try later"})");
    auto [code, output] = run_send(mock, "test-api-key", kSendEvents.substr(0, kSendEvents.find('\n') + 1));
    EXPECT_EQ(code, 1);
    EXPECT_EQ(output.rfind("{\"index\":0,\"outcome\":\"retry\",\"status\":500,\"error\":", 0), 0u) << output;
    EXPECT_EQ(mock.stats().by_path.at("users/bulkUpdate"), 1u);
}

// A user's track waits behind their identify that failed: it is not sent until the identify has
// succeeded, and then it is delivered too.
TEST(SwitchyardSend, AUsersLaterEventIsHeldBackUntilTheEarlierOneSucceeds) {
    MockIterable mock({});
    mock.start();
    mock.queue_response("/api/users/bulkUpdate", 500, R"({"msg":"try later"})");
    auto [code, output] = run_send(mock, "test-api-key", kSendEvents, "--retries 1");
    EXPECT_EQ(code, 0) << output;
    EXPECT_EQ(output.substr(0, output.find("{\"index\":2")),
              "{\"index\":0,\"outcome\":\"ok\",\"status\":200}\n"
              "{\"index\":1,\"outcome\":\"ok\",\"status\":200}\n");
    const switchyard::testing::MockStats stats = mock.stats();
    EXPECT_EQ(stats.by_path.at("users/bulkUpdate"), 2u);
    EXPECT_EQ(stats.by_path.at("events/trackBulk"), 1u);  // never sent beside the failed identify
    const nlohmann::json accepted = mock.state()["requests"];  // the canned 500 is not among them
    ASSERT_EQ(accepted.size(), 2u);
    EXPECT_EQ(accepted[0]["path"], "/api/users/bulkUpdate");
    EXPECT_EQ(accepted[1]["path"], "/api/events/trackBulk");
}

// A line that is not an event gets its own error line, in place; every other event is delivered.
TEST(SwitchyardSend, BadInputLinesGetTheirOwnErrorAndLoseNothing) {
    MockIterable mock({});
    mock.start();
    const std::string events = R"({"type":"track","userId":"u1","event":"A","properties":{"email":"a@x.io"}})" "\n"
                               "not json\n"
                               R"({"type":"track","userId":"u2","event":"B","properties":{"email":"b@x.io"}})" "\n";
    auto [code, output] = run_send(mock, "test-api-key", events);
    EXPECT_EQ(code, 1);
    EXPECT_EQ(output, "{\"index\":0,\"outcome\":\"ok\",\"status\":200}\n"
                      "{\"index\":1,\"outcome\":\"abort\",\"status\":400,\"error\":\"Event is not valid JSON: Problem "
                      "while parsing an atom starting with the letter 'n'\"}\n"
                      "{\"index\":2,\"outcome\":\"ok\",\"status\":200}\n");
    EXPECT_EQ(mock.state()["events"].size(), 2u);
}

// Processor mode: one event per request, several users' requests at once, each user's in order.
TEST(SwitchyardSend, ProcessorModeKeepsEachUsersOrder) {
    MockIterable mock({});
    mock.start();
    std::string events;
    for (int i = 0; i < 40; ++i)
        events += R"({"type":"track","userId":"u)" + std::to_string(i % 4) + R"(","event":"e)" + std::to_string(i) +
                  R"(","properties":{"email":"u)" + std::to_string(i % 4) + R"(@x.io"}})" "\n";
    auto [code, output] = run_send(mock, "test-api-key", events, "--mode processor");
    EXPECT_EQ(code, 0) << output;
    std::string expected;
    for (int i = 0; i < 40; ++i) expected += "{\"index\":" + std::to_string(i) + ",\"outcome\":\"ok\",\"status\":200}\n";
    EXPECT_EQ(output, expected);
    EXPECT_EQ(mock.stats().by_path.at("events/track"), 40u);
    std::map<std::string, int> last_of_user;
    const nlohmann::json state = mock.state();
    for (const auto &event : state["events"]) {
        const int n = std::stoi(event["eventName"].get<std::string>().substr(1));
        const std::string user = event["userId"];
        EXPECT_LT(last_of_user.contains(user) ? last_of_user[user] : -1, n) << user << " got e" << n << " late";
        last_of_user[user] = n;
    }
    EXPECT_EQ(last_of_user.size(), 4u);
}

}  // namespace
