// Settling events from the requests that carry them: the worst outcome wins.
#include <gtest/gtest.h>

#include "host/delivery/event_outcome.h"

namespace switchyard {
namespace {

sy_str_view sv(const char *s) { return {s, std::char_traits<char>::length(s)}; }

RequestRead carrying(std::vector<uint32_t> indexes) { return RequestRead(std::move(indexes)); }

SendRead answered(sy_outcome outcome, uint32_t status, const char *message = "") {
    SendRead sent;
    sent.fields.outcome = outcome;
    sent.fields.http_status = status;
    sent.fields.message = sv(message);
    return sent;
}

TEST(EventOutcome, TransformErrorsGiveTheirEventTheirOutcome) {
    TransformRead result;
    result.errors = {{1, SY_ABORT, 400, "Invalid page call", false},
                     {2, SY_RETRY, 0, "lookup table busy", false},
                     {3, SY_SKIPPED, 0, "nothing to send", false},
                     {4, SY_OK, 0, "an error that says ok", false}};
    auto events = outcomes_from_transform(result, 5);
    EXPECT_FALSE(events[0].carried);
    EXPECT_EQ(events[1].outcome, SY_ABORT);
    EXPECT_EQ(events[1].status, 400u);
    EXPECT_EQ(events[1].message, "Invalid page call");
    EXPECT_EQ(events[2].outcome, SY_RETRY);
    EXPECT_EQ(events[3].outcome, SY_SKIPPED);
    EXPECT_FALSE(events[3].skipped_by_host);
    EXPECT_EQ(events[4].outcome, SY_ABORT);  // a plugin bug: never delivered silently
}

TEST(EventOutcome, EventsTheHostSkippedAreMarkedSo) {
    TransformRead result;
    result.errors = {{0, SY_SKIPPED, 0, "message type \"group\" is not supported by this destination", true}};
    auto events = outcomes_from_transform(result, 1);
    EXPECT_EQ(events[0].outcome, SY_SKIPPED);
    EXPECT_TRUE(events[0].skipped_by_host);
}

TEST(EventOutcome, AnEventIsDeliveredOnlyWhenEveryRequestCarryingItIs) {
    std::vector<EventOutcome> events(2);
    settle_request(carrying({0, 1}), answered(SY_OK, 200), events);
    settle_request(carrying({1}), answered(SY_ABORT, 401, "BadApiKey"), events);
    EXPECT_EQ(events[0].outcome, SY_OK);
    EXPECT_EQ(events[0].status, 200u);
    EXPECT_EQ(events[1].outcome, SY_ABORT);
    EXPECT_EQ(events[1].message, "BadApiKey");
}

TEST(EventOutcome, PerEventOutcomesOfABulkCallAreAlignedWithItsIndexes) {
    SendRead sent = answered(SY_OK, 200);
    sent.events = {{sizeof(sy_event_outcome), SY_ABORT, 400, sv("email error")},
                   {sizeof(sy_event_outcome), SY_OK, 200, sv("")}};
    std::vector<EventOutcome> events(3);
    settle_request(carrying({2, 0}), sent, events);
    abort_uncarried(events);
    EXPECT_EQ(events[2].outcome, SY_ABORT);
    EXPECT_EQ(events[2].message, "email error");
    EXPECT_EQ(events[0].outcome, SY_OK);
    EXPECT_EQ(events[1].outcome, SY_ABORT);  // carried by nothing: a plugin bug, reported
}

TEST(EventOutcome, ASkippedEventOutcomeGivesWayToADelivery) {
    SendRead sent = answered(SY_OK, 200);
    sent.events = {{sizeof(sy_event_outcome), SY_SKIPPED, 0, sv("already known")}};
    std::vector<EventOutcome> events(2);
    settle_request(carrying({0}), sent, events);
    settle_request(carrying({1}), sent, events);
    settle_request(carrying({1}), answered(SY_OK, 200), events);
    EXPECT_EQ(events[0].outcome, SY_SKIPPED);
    EXPECT_EQ(events[1].outcome, SY_OK);
}

TEST(EventOutcome, AnUnsentRequestRetriesItsEventsWithTheReason) {
    std::vector<EventOutcome> events(1);
    retry_request(carrying({0}), "send returned no result: out of memory", events);
    EXPECT_EQ(events[0].outcome, SY_RETRY);
    EXPECT_EQ(events[0].message, "send returned no result: out of memory");
}

TEST(EventOutcome, AHeldBackEventWasNotAttemptedUnlessASendSettledItWorse) {
    std::vector<EventOutcome> events(3);
    settle_request(carrying({0, 1}), answered(SY_OK, 200), events);
    hold_back_request(carrying({0, 1, 2}), events);  // delivered by one request, not sent by another
    settle_request(carrying({1}), answered(SY_RETRY, 503, "unavailable"), events);
    for (const EventOutcome &event : {events[0], events[2]}) {
        EXPECT_TRUE(event.held_back);
        EXPECT_EQ(event.message, kHeldBack);
    }
    EXPECT_FALSE(events[1].held_back);  // sent and failed: an attempt
    EXPECT_EQ(events[1].outcome, SY_RETRY);
    EXPECT_EQ(events[1].status, 503u);
    EXPECT_TRUE(holds_back_its_users(carrying({0}), events));
    EXPECT_TRUE(holds_back_its_users(carrying({1}), events));
}

TEST(EventOutcome, ADeliveredRequestHoldsBackNoUser) {
    std::vector<EventOutcome> events(2);
    settle_request(carrying({0, 1}), answered(SY_OK, 200), events);
    EXPECT_FALSE(holds_back_its_users(carrying({0, 1}), events));
    settle_request(carrying({1}), answered(SY_ABORT, 400, "bad"), events);  // a dead letter does not hold back
    EXPECT_FALSE(holds_back_its_users(carrying({0, 1}), events));
}

TEST(EventOutcome, SeverityOrder) {
    EXPECT_LT(severity(SY_SKIPPED), severity(SY_OK));
    EXPECT_LT(severity(SY_OK), severity(SY_THROTTLED));
    EXPECT_LT(severity(SY_THROTTLED), severity(SY_RETRY));
    EXPECT_LT(severity(SY_RETRY), severity(SY_ABORT));
    EXPECT_EQ(outcome_name(SY_THROTTLED), "throttled");
    EXPECT_EQ(outcome_name(SY_SKIPPED), "skipped");
}

}  // namespace
}  // namespace switchyard
