// Status → outcome, the rule every destination shares.
#include <gtest/gtest.h>

#include "switchyard/sdk/grading.h"

namespace sy::sdk {
namespace {

TEST(Grading, StatusDecidesTheOutcome) {
    const std::pair<long, sy_outcome> cases[] = {
        {200, SY_OK},    {204, SY_OK},    {299, SY_OK},        {429, SY_THROTTLED}, {500, SY_RETRY},
        {503, SY_RETRY}, {0, SY_RETRY},   {400, SY_ABORT},     {401, SY_ABORT},     {404, SY_ABORT},
        {413, SY_ABORT}, {302, SY_ABORT}, {100, SY_ABORT},
    };
    for (const auto &[status, outcome] : cases) EXPECT_EQ(outcome_of_status(status), outcome) << status;
}

TEST(Grading, FailuresKeepTheRetryAfterHintSuccessesDropIt) {
    SendOutput throttled;
    grade_status(HttpAnswer{429, "", 2000, {}}, throttled);
    EXPECT_EQ(throttled.outcome, SY_THROTTLED);
    EXPECT_EQ(throttled.http_status, 429u);
    EXPECT_EQ(throttled.retry_after_ms, 2000u);

    SendOutput ok;
    grade_status(HttpAnswer{200, "", 2000, {}}, ok);
    EXPECT_EQ(ok.outcome, SY_OK);
    EXPECT_EQ(ok.retry_after_ms, 0u);

    SendOutput no_answer;
    grade_status(HttpAnswer{0, "", {}, "Connection refused"}, no_answer);
    EXPECT_EQ(no_answer.outcome, SY_RETRY);
    EXPECT_EQ(no_answer.http_status, 0u);
    EXPECT_EQ(no_answer.retry_after_ms, 0u);
}

}  // namespace
}  // namespace sy::sdk
