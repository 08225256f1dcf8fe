// What ingestion reads of an event for the delivery decision, from its own parse.
#include <gtest/gtest.h>

#include "host/ingest/request_body.h"

namespace switchyard::ingest {
namespace {

filtering::EventFacts facts_of(std::string body, std::string_view path_type) {
    RequestBody request;
    EXPECT_TRUE(request.parse(body)) << request.error();
    BodyOutcome outcome = request.normalize(path_type, 0, "127.0.0.1", IngestLimits{});
    EXPECT_EQ(outcome.status, 200) << outcome.error;
    return outcome.events.empty() ? filtering::EventFacts{} : outcome.events[0].facts;
}

TEST(EventFacts, ATrackEventsNameAndConsent) {
    const filtering::EventFacts facts = facts_of(R"({"userId": "u", "event": "Order Completed", "context":
        {"consentManagement": {"provider": "custom", "resolutionStrategy": "or",
         "allowedConsentIds": ["A"], "deniedConsentIds": ["C1", "", 7, "C2"]}}})", "track");
    EXPECT_EQ(facts.type, "track");
    EXPECT_EQ(facts.event_name, "Order Completed");
    EXPECT_EQ(facts.consent.provider, "custom");
    EXPECT_EQ(facts.consent.resolution_strategy, "or");
    EXPECT_EQ(facts.consent.denied, (std::vector<std::string>{"C1", "C2"}));  // empty and non-string ids dropped
}

TEST(EventFacts, OnlyATrackHasAName) {
    EXPECT_EQ(facts_of(R"({"userId": "u", "event": "E", "name": "Home"})", "page").event_name, "");
    EXPECT_EQ(facts_of(R"({"userId": "u", "event": 5})", "track").event_name, "");
}

TEST(EventFacts, MalformedConsentCountsAsAbsent) {
    EXPECT_TRUE(facts_of(R"({"userId": "u", "context": {"consentManagement": ["C1"]}})", "track").consent.denied.empty());
    EXPECT_TRUE(facts_of(R"({"userId": "u", "context": {"consentManagement": {"deniedConsentIds": "C1"}}})", "track")
                    .consent.denied.empty());
    EXPECT_EQ(facts_of(R"({"userId": "u", "context": {"consentManagement": {"provider": 1, "deniedConsentIds": ["C1"]}}})",
                       "track").consent.provider, "");
}

TEST(EventFacts, ABatchsContextCountsWhereTheItemHasNoConsent) {
    const std::string body = R"({"context": {"consentManagement": {"deniedConsentIds": ["BATCH"]}}, "batch": [
        {"type": "track", "userId": "u", "event": "E", "context": {"app": {}}}]})";
    EXPECT_EQ(facts_of(body, "").consent.denied, std::vector<std::string>{"BATCH"});
    const std::string own = R"({"context": {"consentManagement": {"deniedConsentIds": ["BATCH"]}}, "batch": [
        {"type": "identify", "userId": "u", "context": {"consentManagement": {"deniedConsentIds": ["OWN"]}}}]})";
    const filtering::EventFacts facts = facts_of(own, "");
    EXPECT_EQ(facts.type, "identify");
    EXPECT_EQ(facts.consent.denied, std::vector<std::string>{"OWN"});
}

}  // namespace
}  // namespace switchyard::ingest
