// Event filtering and consent through `serve`: a destination's RudderStack settings decide at
// ingestion which events it gets; the rest are never stored for it and are counted by reason.
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

// Pasted as RudderStack writes them; the webhook plugin, which refuses unknown settings, takes
// them too because the host keeps them from every plugin.
constexpr const char *kFilterSettings =
    "      eventFilteringOption: blacklistedEvents\n"
    "      blacklistedEvents:\n        - eventName: Internal Ping\n"
    "      whitelistedEvents:\n        - eventName: ''\n"
    "      oneTrustCookieCategories:\n        - oneTrustCookieCategory: C0004\n"
    "      consentManagement:\n        - provider: custom\n          resolutionStrategy: or\n"
    "          consents:\n            - consent: ads\n            - consent: analytics\n";

class Filtering : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        const std::string webhook = "  - id: hook\n    plugin: webhook\n    settings:\n      url: " + mock_.base_url() +
                                    "/hook\n" + kFilterSettings;
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(), kFilterSettings) + webhook));
    }
    bool metrics_show(const std::string &line) { return get("/metrics").find(line + "\n") != std::string::npos; }
    MockIterable mock_{MockOptions{}};
};

json with_consent(json event, json consent) {
    event["context"]["consentManagement"] = std::move(consent);
    return event;
}

TEST_F(Filtering, BlacklistedAndConsentDeniedEventsAreNotDeliveredAndAreCounted) {
    ASSERT_EQ(post("track", track("u1", 1, "Internal Ping")), 200);                                 // blacklisted
    ASSERT_EQ(post("track", with_consent(track("u1", 2), {{"deniedConsentIds", {"C0004"}}})), 200);  // OneTrust denied
    ASSERT_EQ(post("track", with_consent(track("u1", 3), {{"provider", "custom"},
                                                          {"deniedConsentIds", {"ads", "analytics"}}})), 200);
    ASSERT_EQ(post("batch", {{"batch", {with_consent(track("u1", 4), {{"provider", "custom"}, {"deniedConsentIds", {"ads"}}}),
                                        with_consent(track("u1", 5), {{"deniedConsentIds", {"C0001"}}}),
                                        track("u1", 6, "Order Viewed")}}}), 200);
    // Consent and filters are decided before the 200: the count is there at once.
    EXPECT_TRUE(metrics_show("switchyard_events_filtered_total{destination=\"e2e/iterable\",reason=\"event_filter\"} 1"))
        << get("/metrics");
    EXPECT_TRUE(metrics_show("switchyard_events_filtered_total{destination=\"e2e/iterable\",reason=\"consent\"} 2"))
        << get("/metrics");
    // One of two "or" consents denied, another OneTrust category denied, another name: delivered.
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 3; })) << host_->log();
    EXPECT_EQ(recorded_seqs(mock_), (std::vector<int>{4, 5, 6}));
    EXPECT_TRUE(metrics_show("switchyard_events_received_total{source=\"app\",workspace=\"e2e\"} 6")) << get("/metrics");
    EXPECT_EQ(get("/metrics").find("switchyard_events_dead_lettered_total{"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::testing
