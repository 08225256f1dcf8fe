// Every processor, router and delivery vector of tests/data/conformance/iterable through the
// rudder-transformer HTTP API: the envelope rudder-server sends in, the answer compared with the
// reference's under the rules of that folder's README (the comparison of tests/iterable/).
#include <gtest/gtest.h>

#include <map>

#include "conformance_support.h"
#include "golden_cases.h"
#include "mock_iterable.h"
#include "tests/data/conformance_data.h"
#include "transformer_server.h"

namespace transformer_test {
namespace {

using iterable_test::GoldenCase;

const TransformerServer &server() {
    static const TransformerServer serving({iterable_test::iterable_plugin()});
    return serving;
}

const iterable_test::GoldenCases &golden() {
    static const iterable_test::GoldenCases loaded = iterable_test::load_golden_cases();
    return loaded;
}

json request_of(const json &rudder_request) {
    return {{"method", rudder_request["method"]},
            {"endpoint", rudder_request["endpoint"]},
            {"headers", rudder_request["headers"]},
            {"body", rudder_request["body"]["JSON"]}};
}

// The envelope fields every built request carries, as the reference writes them.
void expect_request_envelope(const json &r, const json *reference) {
    EXPECT_EQ(r["version"], "1");
    EXPECT_EQ(r["type"], "REST");
    EXPECT_EQ(r["params"], json::object());
    EXPECT_EQ(r["files"], json::object());
    for (const char *empty : {"JSON_ARRAY", "XML", "FORM"}) EXPECT_EQ(r["body"][empty], json::object()) << empty;
    // Documented deviation (docs/rudderstack.md): endpointPath is the plugin's request kind,
    // which names both commerce calls "commerce/*".
    if (reference != nullptr && r["endpointPath"] != "commerce/*") {
        EXPECT_EQ(r["endpointPath"], (*reference)["endpointPath"]);
    }
}

// statTags as the reference gives them; errorType is the one field the plugin ABI cannot tell
// (an invalid event and a configuration-dependent refusal are both a 400), see docs/rudderstack.md.
void expect_stat_tags(const json &tags, const json &reference) {
    for (const auto &[key, value] : reference.items())
        if (key != "errorType") {
            EXPECT_EQ(tags[key], value) << "statTags." << key;
        }
}

void check_processor_case(const GoldenCase &c) {
    const Reply reply = server().post("/v0/destinations/iterable", c.envelope.dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json answer = reply.parsed();
    ASSERT_TRUE(answer.is_array());
    json line = {{"index", 0}, {"status", 200}, {"requests", json::array()}};
    for (const json &entry : answer) {
        if (entry.contains("error")) {
            line = {{"index", 0}, {"status", entry["statusCode"]}, {"error", entry["error"]}};
            break;
        }
        EXPECT_EQ(entry["statusCode"], 200);
        line["requests"].push_back(request_of(entry["output"]));
    }
    EXPECT_EQ(iterable_test::compare_processor(c.expected[0], line), "");
    const json &reference = c.reference_answer;
    if (reference.is_array()) {
        ASSERT_EQ(answer.size(), reference.size());
    }
    for (size_t i = 0; i < answer.size(); ++i) {
        const json &entry = answer[i];
        const json *want = reference.is_array() ? &reference[i] : nullptr;
        EXPECT_EQ(entry.value("metadata", json()), c.envelope[0].value("metadata", json())) << "metadata echoed";
        if (entry.contains("output")) {
            EXPECT_EQ(entry["output"]["userId"], "");
            expect_request_envelope(entry["output"], want != nullptr ? &(*want)["output"] : nullptr);
        } else if (want != nullptr) {
            expect_stat_tags(entry["statTags"], (*want)["statTags"]);
        }
    }
}

// Router cases: each job's metadata.jobId becomes its position, so that answers map back to
// events (legacy vectors repeat jobIds); everything else is sent as recorded.
void check_router_case(const GoldenCase &c) {
    json envelope = c.envelope;
    if (!envelope.contains("destType")) envelope["destType"] = "ITERABLE";
    std::vector<json> messages;
    std::vector<std::string> destinations;
    for (size_t i = 0; i < envelope["input"].size(); ++i) {
        envelope["input"][i]["metadata"]["jobId"] = i;
        messages.push_back(c.inputs[i].message);
        destinations.push_back(c.inputs[i].group);
    }
    const Reply reply = server().post("/routerTransform", envelope.dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    std::vector<json> actual;
    const json answer = reply.parsed();
    for (const json &entry : answer["output"]) {
        json line = {{"indexes", json::array()}, {"status", entry["statusCode"]}};
        for (const json &metadata : entry["metadata"]) {
            const size_t i = metadata["jobId"];
            line["indexes"].push_back(i);
            EXPECT_EQ(metadata, envelope["input"][i]["metadata"]) << "metadata echoed";
            EXPECT_EQ(entry["destination"], envelope["input"][i]["destination"]) << "destination echoed";
        }
        if (entry.contains("error")) {
            line["error"] = entry["error"];
        } else {
            expect_request_envelope(entry["batchedRequest"], nullptr);
            line["requests"] = json::array({request_of(entry["batchedRequest"])});
        }
        actual.push_back(line);
    }
    auto r = iterable_test::compare_router(c.expected, actual, messages, 1'000'000, &destinations);
    for (const std::string &m : r.event_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.batch_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.invariant_problems) ADD_FAILURE() << "invariant: " << m;
}

class GoldenCaseOverHttp : public ::testing::TestWithParam<size_t> {};

TEST_P(GoldenCaseOverHttp, AnswersAsTheReference) {
    if (!golden().problem.empty()) FAIL() << golden().problem;
    const GoldenCase &c = golden().cases[GetParam()];
    if (c.router) check_router_case(c);
    else check_processor_case(c);
}

INSTANTIATE_TEST_SUITE_P(Iterable, GoldenCaseOverHttp,
                         ::testing::Range<size_t>(0, golden().problem.empty() ? golden().cases.size() : 1),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                             return golden().problem.empty() ? golden().cases[info.param].name : "golden_files_unreadable";
                         });

// The 1000 differential events as rudder-server would send them: batches of 200 (its processor's
// and router's default batch sizes), one destination.
struct Differential {
    std::vector<json> messages;
    json config = iterable_test::read_conformance_json("differential/settings.json");
    Differential() {
        for (const std::string &line : iterable_test::read_conformance_lines("differential/events.ndjson"))
            messages.push_back(json::parse(line));
    }
    json items(size_t first, size_t count) const {
        json items = json::array();
        for (size_t i = first; i < first + count && i < messages.size(); ++i)
            items.push_back({{"message", messages[i]},
                             {"metadata", {{"jobId", i}, {"destinationId", "d1"}, {"workspaceId", "w1"}}},
                             {"destination", {{"ID", "d1"}, {"Config", config}}}});
        return items;
    }
};
constexpr size_t kRudderBatch = 200;

TEST(DifferentialOverHttp, ProcessorEnvelopesEqualTheReferenceForEveryEvent) {
    Differential d;
    std::vector<json> lines(d.messages.size());
    for (size_t first = 0; first < d.messages.size(); first += kRudderBatch) {
        const Reply reply = server().post("/v0/destinations/iterable", d.items(first, kRudderBatch).dump());
        ASSERT_EQ(reply.status, 200) << reply.body;
        for (const json &entry : reply.parsed()) {
            const size_t i = entry["metadata"]["jobId"];
            json &line = lines[i];
            if (line.is_null()) line = {{"index", i}, {"status", 200}, {"requests", json::array()}};
            if (entry.contains("error")) line = {{"index", i}, {"status", entry["statusCode"]}, {"error", entry["error"]}};
            else line["requests"].push_back(request_of(entry["output"]));
        }
    }
    size_t equal = 0;
    for (const std::string &text : iterable_test::read_conformance_lines("differential/processor_expected.jsonl")) {
        const json want = json::parse(text);
        const std::string why = iterable_test::compare_processor(want, lines[want["index"].get<size_t>()]);
        if (why.empty()) ++equal;
        else ADD_FAILURE() << "event " << want["index"] << ": " << why;
    }
    EXPECT_EQ(equal, d.messages.size());
}

TEST(DifferentialOverHttp, RouterEnvelopesEqualTheReferencePerEvent) {
    Differential d;
    std::vector<json> actual;
    for (size_t first = 0; first < d.messages.size(); first += kRudderBatch) {
        const json envelope = {{"input", d.items(first, kRudderBatch)}, {"destType", "ITERABLE"}};
        const Reply reply = server().post("/routerTransform", envelope.dump());
        ASSERT_EQ(reply.status, 200) << reply.body;
        const json answer = reply.parsed();
        for (const json &entry : answer["output"]) {
            json line = {{"batch", first / kRudderBatch}, {"indexes", json::array()}, {"status", entry["statusCode"]}};
            for (const json &metadata : entry["metadata"]) line["indexes"].push_back(metadata["jobId"]);
            if (entry.contains("error")) line["error"] = entry["error"];
            else line["requests"] = json::array({request_of(entry["batchedRequest"])});
            actual.push_back(line);
        }
    }
    std::vector<json> expected;
    for (const std::string &line : iterable_test::read_conformance_lines("differential/router_expected.jsonl"))
        expected.push_back(json::parse(line));
    auto r = iterable_test::compare_router(expected, actual, d.messages, kRudderBatch);
    for (const std::string &m : r.event_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.batch_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.invariant_problems) ADD_FAILURE() << "invariant: " << m;
    EXPECT_EQ(r.equal(), r.total);
}

// A job error is the destination's answer as JSON text: compared as JSON (key order is the writer's).
json as_json_if_json(const json &text) {
    if (!text.is_string()) return text;
    json parsed = json::parse(text.get<std::string>(), nullptr, false);
    return parsed.is_discarded() ? text : parsed;
}

// Delivery: the reference's built request goes to the mock, which answers as Iterable did;
// rudder-server sends the destination's Config with it (the recorded vectors leave it empty, as the
// reference's proxy does not read it).
TEST(DeliveryOverHttp, EveryRecordedCaseAnswersAsTheReferenceProxy) {
    switchyard::testing::MockIterable mock({});
    mock.start();
    // Its own server, gone before the mock: its instance's keep-alive connections close with it.
    const TransformerServer transformer({iterable_test::iterable_plugin()});
    // Ordered: the mock answers with Iterable's key order, which the reference's messages quote.
    using ordered = nlohmann::ordered_json;
    for (const ordered &c : ordered::parse(conformance_data::read("iterable/delivery.json"))) {
        SCOPED_TRACE(c["case_id"].get<std::string>());
        ordered envelope = c["input"];
        const std::string endpoint = envelope["endpoint"];
        const std::string path = endpoint.substr(endpoint.find("/api/"));
        mock.queue_response(path, c["destination_http_response"]["status"].get<int>(),
                            c["destination_http_response"]["body"].dump());
        envelope["endpoint"] = mock.base_url() + path.substr(5);
        envelope["destinationConfig"] = {{"apiKey", "DUMMY_API_KEY"}};
        const Reply reply = transformer.post("/v1/destinations/iterable/proxy", envelope.dump());
        ASSERT_EQ(reply.status, 200) << reply.body;
        SCOPED_TRACE(reply.body);
        const json got = reply.parsed()["output"], want = json::parse(c["expected"]["body"]["output"].dump());
        EXPECT_EQ(got["status"], want["status"]);
        EXPECT_EQ(got["message"], want["message"]);
        // Documented deviation: destinationResponse has the destination's status, not its body.
        ASSERT_EQ(got.contains("destinationResponse"), want.contains("destinationResponse"));
        if (want.contains("destinationResponse")) {
            EXPECT_EQ(got["destinationResponse"]["status"], want["destinationResponse"]["status"]);
        }
        ASSERT_EQ(got["response"].size(), want["response"].size());
        for (size_t i = 0; i < want["response"].size(); ++i) {
            EXPECT_EQ(got["response"][i]["statusCode"], want["response"][i]["statusCode"]) << "job " << i;
            EXPECT_EQ(got["response"][i]["metadata"], want["response"][i]["metadata"]) << "job " << i;
            EXPECT_EQ(as_json_if_json(got["response"][i]["error"]), as_json_if_json(want["response"][i]["error"])) << "job " << i;
        }
        EXPECT_EQ(got.value("statTags", json()), want.value("statTags", json()));
    }
}

}  // namespace
}  // namespace transformer_test
