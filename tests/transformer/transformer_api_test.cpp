// The transformer API's own rules: malformed envelopes, per-item errors, unknown destinations,
// instances following each destination's Config, secrets kept out of errors, parallel serving,
// and the `switchyard transformer` command (body limit, /features, /health, SIGTERM).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "conformance_support.h"
#include "transformer_server.h"

namespace transformer_test {
namespace {

const TransformerServer &server() {
    static const TransformerServer serving({iterable_test::iterable_plugin()});
    return serving;
}

json item(const json &message, const json &config, const std::string &id = "d1", int job = 1) {
    return {{"message", message},
            {"metadata", {{"jobId", job}, {"destinationId", id}, {"workspaceId", "w1"}}},
            {"destination", {{"ID", id}, {"Config", config}}}};
}

const json kConfig = {{"apiKey", "test-api-key-0001"}, {"dataCenter", "USDC"}};
const json kIdentify = {{"type", "identify"}, {"userId", "u1"}, {"traits", {{"email", "u1@example.com"}}}};

TEST(TransformerApi, MalformedEnvelopesGet400WithOneSentence) {
    const struct {
        const char *path, *body, *sentence;
    } cases[] = {
        {"/v0/destinations/iterable", R"([{"message":{"type":)", "The request body is not valid JSON.\n"},
        {"/v0/destinations/iterable", "not json", "The request body must be a JSON array of {message, metadata, destination} items.\n"},
        {"/v0/destinations/iterable", "{}", "The request body must be a JSON array of {message, metadata, destination} items.\n"},
        {"/routerTransform", R"({"input":[],"destType":"ITERABLE"})",
         "The request body must be a JSON object {input, destType} whose \"input\" is a non-empty array.\n"},
        {"/routerTransform", R"({"input":[{}]})", "The request body has no \"destType\" string.\n"},
        {"/v1/destinations/iterable/proxy", R"({"endpoint":"http://127.0.0.1:1/"})",
         "The request has no \"metadata\" array of its jobs.\n"},
    };
    for (const auto &c : cases) {
        const Reply reply = server().post(c.path, c.body);
        EXPECT_EQ(reply.status, 400) << c.path << " " << c.body;
        EXPECT_EQ(reply.body, c.sentence);
    }
}

TEST(TransformerApi, AnItemThatFailsGetsItsOwnEntryNeverTheWholeBatch) {
    json group = {{"type", "group"}, {"userId", "u1"}, {"groupId", "g1"}};
    json body = json::array({item(kIdentify, kConfig), {{"metadata", {{"jobId", 2}}}}, item(group, kConfig, "d1", 3)});
    const Reply reply = server().post("/v0/destinations/iterable", body.dump());
    ASSERT_EQ(reply.status, 200);
    const json answer = reply.parsed();
    ASSERT_EQ(answer.size(), 3u);
    EXPECT_EQ(answer[0]["statusCode"], 200);
    EXPECT_EQ(answer[1]["statusCode"], 400);
    EXPECT_EQ(answer[1]["error"], "item 1 has no \"message\" object");
    EXPECT_EQ(answer[1]["metadata"]["jobId"], 2);
    EXPECT_EQ(answer[2]["statusCode"], 400);
    EXPECT_EQ(answer[2]["error"], "Message type group not supported");
}

TEST(TransformerApi, UnknownDestinationsAnswerAsTheReferenceDoes) {
    const json items = json::array({item(kIdentify, kConfig, "d1", 1), item(kIdentify, kConfig, "d1", 2)});
    const json processor = server().post("/v0/destinations/nosuch", items.dump()).parsed();
    ASSERT_EQ(processor.size(), 2u);
    for (const json &entry : processor) {
        EXPECT_EQ(entry["statusCode"], 400);
        EXPECT_EQ(entry["error"], "Invalid destination: nosuch");
        EXPECT_EQ(entry["statTags"]["errorType"], "configuration");
    }
    const json router =
        server().post("/routerTransform", json({{"input", items}, {"destType", "NOSUCH"}}).dump()).parsed()["output"];
    ASSERT_EQ(router.size(), 1u);
    EXPECT_EQ(router[0]["error"], "Invalid destination: NOSUCH");
    EXPECT_EQ(router[0]["metadata"].size(), 2u);
    const json proxy = {{"endpoint", "http://127.0.0.1:1/x"}, {"method", "POST"}, {"metadata", json::array({{{"jobId", 1}}})}};
    const json delivered = server().post("/v1/destinations/nosuch/proxy", proxy.dump()).parsed()["output"];
    EXPECT_EQ(delivered["status"], 400);
    EXPECT_EQ(delivered["response"][0]["error"], "Invalid destination: nosuch");
}

std::string endpoint_for(const json &config, const std::string &id) {
    const Reply reply = server().post("/v0/destinations/iterable", json::array({item(kIdentify, config, id)}).dump());
    return reply.parsed()[0]["output"]["endpoint"];
}

TEST(TransformerApi, InstancesFollowEachDestinationsConfig) {
    json eu = kConfig;
    eu["dataCenter"] = "EUDC";
    EXPECT_EQ(endpoint_for(kConfig, "cfg"), "https://api.iterable.com/api/users/update");
    EXPECT_EQ(endpoint_for(eu, "cfg"), "https://api.eu.iterable.com/api/users/update");  // same ID, new Config: rebuilt
    EXPECT_EQ(endpoint_for(kConfig, "cfg"), "https://api.iterable.com/api/users/update");
    // Two destinations in one call, each with its own settings.
    const json body = json::array({item(kIdentify, kConfig, "us"), item(kIdentify, eu, "eu")});
    const json answer = server().post("/v0/destinations/iterable", body.dump()).parsed();
    EXPECT_EQ(answer[0]["output"]["endpoint"], "https://api.iterable.com/api/users/update");
    EXPECT_EQ(answer[1]["output"]["endpoint"], "https://api.eu.iterable.com/api/users/update");
}

TEST(TransformerApi, ARefusedConfigIsEachItemsErrorAndNeverShowsASecret) {
    const json config = {{"apiKey", "very-secret-key-4242"}, {"dataCenter", "MARS"}, {"hubID", "foreign UI key"}};
    const Reply reply = server().post("/v0/destinations/iterable", json::array({item(kIdentify, config, "bad")}).dump());
    const json entry = reply.parsed()[0];
    EXPECT_EQ(entry["statusCode"], 400);
    EXPECT_NE(entry["error"].get<std::string>().find("settings.dataCenter"), std::string::npos) << entry["error"];
    EXPECT_EQ(reply.body.find("very-secret-key-4242"), std::string::npos);
    EXPECT_EQ(entry["statTags"]["errorType"], "configuration");
}

// A destination that answers only once two requests are waiting at the same time: if the
// transformer served one request after the other, the first would wait out the deadline (500).
TEST(TransformerApi, ConcurrentRequestsAreServedInParallel) {
    std::mutex mutex;
    std::condition_variable arrived;
    int waiting = 0;
    httplib::Server destination;
    destination.set_keep_alive_max_count(1);  // closes after answering, so stop() need not wait out keep-alive
    destination.Post("/api/events/track", [&](const httplib::Request &, httplib::Response &res) {
        std::unique_lock lock(mutex);
        ++waiting;
        arrived.notify_all();
        const bool both = arrived.wait_for(lock, std::chrono::seconds(10), [&] { return waiting >= 2; });
        res.status = both ? 200 : 500;
        res.set_content(R"({"msg":"ok","code":"Success"})", "application/json");
    });
    const int port = destination.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { destination.listen_after_bind(); });
    const json proxy = {{"endpoint", "http://127.0.0.1:" + std::to_string(port) + "/api/events/track"},
                        {"endpointPath", "events/track"},
                        {"method", "POST"},
                        {"headers", {{"Content-Type", "application/json"}, {"api_key", "test-api-key-0001"}}},
                        {"body", {{"JSON", {{"userId", "u1"}, {"eventName", "e"}}}}},
                        {"metadata", json::array({{{"jobId", 1}, {"destinationId", "par"}}})},
                        {"destinationConfig", kConfig}};
    json answers[2];
    std::thread first([&] { answers[0] = server().post("/v1/destinations/iterable/proxy", proxy.dump()).parsed(); });
    answers[1] = server().post("/v1/destinations/iterable/proxy", proxy.dump()).parsed();
    first.join();
    while (!destination.is_running()) std::this_thread::yield();
    destination.stop();
    serving.join();
    for (const json &answer : answers) {
        EXPECT_EQ(answer["output"]["status"], 200) << answer.dump();
        EXPECT_EQ(answer["output"]["message"], "[ITERABLE Response Handler] - Request Processed Successfully");
        EXPECT_EQ(answer["output"]["response"][0]["error"], "success");
    }
}

// The command: its first log line names the port it listens on.
TEST(TransformerCommand, ServesTheApiWithItsBodyLimitAndStopsOnSigterm) {
    const std::string command = std::string("echo $$; exec ") + SWITCHYARD_BIN + " transformer --listen 127.0.0.1:0 --plugin-dir " +
                                PLUGIN_DIR + " --max-body-bytes 1000 2>&1";
    FILE *out = popen(command.c_str(), "r");
    ASSERT_NE(out, nullptr);
    char line[4096];
    ASSERT_NE(fgets(line, sizeof line, out), nullptr);
    const pid_t pid = std::stoi(line);
    int port = 0;
    while (port == 0 && fgets(line, sizeof line, out) != nullptr)
        if (const char *at = strstr(line, "Listening on 127.0.0.1:")) port = static_cast<int>(std::strtol(at + strlen("Listening on 127.0.0.1:"), nullptr, 10));
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    auto health = client.Get("/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->body, R"({"service":"UP"})");
    auto features = client.Get("/features");
    ASSERT_TRUE(features);
    const json served = json::parse(features->body);
    EXPECT_EQ(served["routerTransform"]["ITERABLE"], true);
    EXPECT_EQ(served["routerTransform"]["WEBHOOK"], true);
    EXPECT_EQ(served["supportTransformerProxyV1"], true);
    auto large = client.Post("/v0/destinations/iterable", std::string(2000, ' '), "application/json");
    ASSERT_TRUE(large);
    EXPECT_EQ(large->status, 413);
    kill(pid, SIGTERM);
    while (fgets(line, sizeof line, out) != nullptr) {
    }
    const int status = pclose(out);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace transformer_test
