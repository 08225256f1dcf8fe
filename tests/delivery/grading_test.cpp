// Grading Iterable's answers: every recorded case of delivery.json, plus the rules the
// recordings do not cover (429, 5xx, no answer).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "grading.h"
#include "tests/data/conformance_data.h"

namespace iterable {
namespace {

using Json = nlohmann::ordered_json;

Json delivery_cases() { return Json::parse(conformance_data::read("iterable/delivery.json")); }

sy::SendOutput grade_case(const Json &c) {
    sy::sdk::HttpAnswer answer;
    answer.status = c["destination_http_response"]["status"].get<long>();
    answer.body = c["destination_http_response"]["body"].dump();
    const Json &input = c["input"];
    sy::SendOutput out;
    grade(input["endpointPath"].get<std::string>(), input["body"]["JSON"].dump(), input["metadata"].size(), answer, out);
    return out;
}

TEST(Grading, EveryRecordedDeliveryCaseGradesLikeTheReference) {
    const Json cases = delivery_cases();
    ASSERT_EQ(cases.size(), 13u);
    for (const Json &c : cases) {
        SCOPED_TRACE(c["case_id"].get<std::string>());
        const sy::SendOutput out = grade_case(c);
        const Json &expected = c["expected"]["body"]["output"];
        EXPECT_EQ(out.http_status, expected["status"].get<uint32_t>());
        const Json &jobs = expected["response"];
        for (size_t i = 0; i < jobs.size(); ++i) {
            // An empty per-event list means every event shares the request's outcome.
            const bool shared = out.events.empty();
            const uint32_t status = shared ? out.http_status : out.events[i].status;
            const sy_outcome outcome = shared ? out.outcome : out.events[i].outcome;
            const std::string error = outcome == SY_OK ? "success" : (shared ? out.message : out.events[i].message);
            EXPECT_EQ(status, jobs[i]["statusCode"].get<uint32_t>()) << "job " << i;
            EXPECT_EQ(error, jobs[i]["error"].get<std::string>()) << "job " << i;
        }
        if (expected["status"] != 200) {
            EXPECT_EQ(out.message, expected["message"].get<std::string>());
        }
    }
}

TEST(Grading, ThrottledCarriesRetryAfter) {
    sy::sdk::HttpAnswer answer{429, R"({"msg":"Rate limit exceeded","code":"RateLimitExceeded"})", 2000, {}};
    sy::SendOutput out;
    grade("events/track", "{}", 1, answer, out);
    EXPECT_EQ(out.outcome, SY_THROTTLED);
    EXPECT_EQ(out.retry_after_ms, 2000u);
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_EQ(out.events[0].outcome, SY_THROTTLED);
}

TEST(Grading, ServerErrorsRetry) {
    for (long status : {500L, 502L, 503L, 504L}) {
        sy::SendOutput out;
        grade("users/update", "{}", 2, sy::sdk::HttpAnswer{status, "<html>oops</html>", {}, {}}, out);
        EXPECT_EQ(out.outcome, SY_RETRY) << status;
        EXPECT_EQ(out.message, "ITERABLE: Error transformer proxy during ITERABLE response transformation. unknown error format");
        ASSERT_EQ(out.events.size(), 2u);
        EXPECT_EQ(out.events[1].message, "<html>oops</html>");
    }
}

TEST(Grading, AnEmptyErrorAnswerStillGivesEveryEventAReason) {
    // Found by tests/fuzz/grading_fuzz (regressions/grading/empty-error-body): a bare 502 from a
    // proxy left each event's outcome without a message, so its dead letter had no reason.
    sy::SendOutput out;
    grade("users/update", "{}", 2, sy::sdk::HttpAnswer{502, "", {}, {}}, out);
    EXPECT_EQ(out.outcome, SY_RETRY);
    ASSERT_EQ(out.events.size(), 2u);
    for (const sy::EventOutcome &event : out.events) EXPECT_EQ(event.message, out.message);
    EXPECT_EQ(out.message, "ITERABLE: Error transformer proxy during ITERABLE response transformation. unknown error format");
}

TEST(Grading, NoAnswerRetriesWithTheTransportError) {
    sy::SendOutput out;
    grade("users/update", "{}", 1, sy::sdk::HttpAnswer{0, "", {}, "Couldn't connect to server"}, out);
    EXPECT_EQ(out.outcome, SY_RETRY);
    EXPECT_EQ(out.http_status, 0u);
    EXPECT_EQ(out.message, "ITERABLE: no answer from Iterable (Couldn't connect to server)");
}

TEST(Grading, OtherClientErrorsAbortWithIterablesMessage) {
    sy::SendOutput out;
    grade("users/update", "{}", 1,
          sy::sdk::HttpAnswer{401, R"({"msg":"Invalid API key","code":"BadApiKey","params":null})", {}, {}}, out);
    EXPECT_EQ(out.outcome, SY_ABORT);
    EXPECT_EQ(out.message, "ITERABLE: Error transformer proxy during ITERABLE response transformation. \"Invalid API key\"");
}

TEST(Grading, BulkFailureListsPointAtTheExactEvents) {
    const std::string request = R"({"events":[{"email":"a@x.io","eventName":"ok"},{"userId":"u2","eventName":"Bad"},{"email":"b@x.io","eventName":"ok"}]})";
    const std::string answer = R"({"successCount":1,"failCount":2,"invalidUserIds":["u2"],"disallowedEventNames":["Bad"]})";
    sy::SendOutput out;
    grade("events/trackBulk", request, 3, sy::sdk::HttpAnswer{200, answer, {}, {}}, out);
    EXPECT_EQ(out.outcome, SY_OK);
    ASSERT_EQ(out.events.size(), 3u);
    EXPECT_EQ(out.events[0].outcome, SY_OK);
    EXPECT_EQ(out.events[1].outcome, SY_ABORT);
    EXPECT_EQ(out.events[1].message,
              "userId error:\"u2\" in \"invalidUserIds\".eventName error:\"Bad\" in \"disallowedEventNames\".");
    EXPECT_EQ(out.events[2].outcome, SY_OK);
}

TEST(Grading, FailCountZeroMeansEveryItemSucceeded) {
    sy::SendOutput out;
    grade("users/bulkUpdate", R"({"users":[{"email":"bad"}]})", 1,
          sy::sdk::HttpAnswer{200, R"({"successCount":1,"failCount":0,"invalidEmails":["bad"]})", {}, {}}, out);
    EXPECT_TRUE(out.events.empty());
    EXPECT_EQ(out.outcome, SY_OK);
}

}  // namespace
}  // namespace iterable
