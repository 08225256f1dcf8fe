// Settling events from the requests that carry them: the worst outcome wins.
#include <gtest/gtest.h>

#include "host/delivery/event_outcome.h"

namespace switchyard {
namespace {

sy_str_view sv(const char *s) { return {s, std::char_traits<char>::length(s)}; }

TEST(EventOutcome, TransformErrorsAbortTheirEvent) {
    const sy_event_error errors[] = {{1, 400, sv("Invalid page call")}};
    sy_transform_result result{};
    result.errors = errors;
    result.error_count = 1;
    auto events = outcomes_from_transform(result, 2);
    EXPECT_FALSE(events[0].carried);
    EXPECT_EQ(events[1].outcome, SY_ABORT);
    EXPECT_EQ(events[1].status, 400u);
    EXPECT_EQ(events[1].message, "Invalid page call");
}

TEST(EventOutcome, AnEventIsDeliveredOnlyWhenEveryRequestCarryingItIs) {
    const uint32_t both[] = {0, 1}, second[] = {1};
    sy_request bulk{}, registration{};
    bulk.event_indexes = both;
    bulk.event_count = 2;
    registration.event_indexes = second;
    registration.event_count = 1;
    sy_send_result ok{}, failed{};
    ok.outcome = SY_OK;
    ok.http_status = 200;
    failed.outcome = SY_ABORT;
    failed.http_status = 401;
    failed.message = sv("BadApiKey");
    std::vector<EventOutcome> events(2);
    settle_request(bulk, &ok, events);
    settle_request(registration, &failed, events);
    EXPECT_EQ(events[0].outcome, SY_OK);
    EXPECT_EQ(events[0].status, 200u);
    EXPECT_EQ(events[1].outcome, SY_ABORT);
    EXPECT_EQ(events[1].message, "BadApiKey");
}

TEST(EventOutcome, PerEventOutcomesOfABulkCallAreAlignedWithItsIndexes) {
    const uint32_t indexes[] = {2, 0};
    sy_request bulk{};
    bulk.event_indexes = indexes;
    bulk.event_count = 2;
    const sy_event_outcome per_event[] = {{SY_ABORT, 400, sv("email error")}, {SY_OK, 200, sv("")}};
    sy_send_result sent{};
    sent.outcome = SY_OK;
    sent.http_status = 200;
    sent.events = per_event;
    sent.event_count = 2;
    std::vector<EventOutcome> events(3);
    settle_request(bulk, &sent, events);
    abort_uncarried(events);
    EXPECT_EQ(events[2].outcome, SY_ABORT);
    EXPECT_EQ(events[2].message, "email error");
    EXPECT_EQ(events[0].outcome, SY_OK);
    EXPECT_EQ(events[1].outcome, SY_ABORT);  // carried by nothing: a plugin bug, reported
}

TEST(EventOutcome, NoSendResultMeansRetry) {
    const uint32_t indexes[] = {0};
    sy_request request{};
    request.event_indexes = indexes;
    request.event_count = 1;
    std::vector<EventOutcome> events(1);
    settle_request(request, nullptr, events);
    EXPECT_EQ(events[0].outcome, SY_RETRY);
}

TEST(EventOutcome, SeverityOrder) {
    EXPECT_LT(severity(SY_OK), severity(SY_THROTTLED));
    EXPECT_LT(severity(SY_THROTTLED), severity(SY_RETRY));
    EXPECT_LT(severity(SY_RETRY), severity(SY_ABORT));
    EXPECT_EQ(outcome_name(SY_THROTTLED), "throttled");
}

}  // namespace
}  // namespace switchyard
