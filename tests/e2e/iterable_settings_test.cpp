// Iterable settings that change what reaches Iterable, through `serve` and the mock: a config
// holding only apiKey delivers pages and screens as RudderStack's dashboard would, and
// eventIdFromMessageId gives events and purchases the messageId as their Iterable id.
#include <set>

#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

class IterableSettings : public EndToEnd {
   protected:
    void SetUp() override { mock_.start(); }
    MockIterable mock_{MockOptions{}};
};

TEST_F(IterableSettings, OnlyApiKeyDeliversNamedAndCategorisedPagesAsTheDashboardDoes) {
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())));
    ASSERT_EQ(post("page", {{"userId", "u1"}, {"name", "Pricing"}, {"properties", {{"seq", 1}}}}), 200);
    ASSERT_EQ(post("screen", {{"userId", "u1"}, {"properties", {{"seq", 2}, {"category", "Settings"}}}}), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 2; })) << mock_.state().dump(2) << host_->log();
    const json state = mock_.state();
    std::set<std::string> names;
    for (const json &event : state["events"]) names.insert(event["eventName"].get<std::string>());
    EXPECT_EQ(names, (std::set<std::string>{"Loaded a Page", "Loaded a Screen"}));
    EXPECT_EQ(get("/metrics").find("switchyard_events_dead_lettered_total{"), std::string::npos) << get("/metrics");
}

TEST_F(IterableSettings, EventIdFromMessageIdReachesIterableAsTheId) {
    start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url(),
                                                                  "      eventIdFromMessageId: true\n")));
    json clicked = track("u1", 1, "Clicked");
    clicked["messageId"] = "m-1";
    ASSERT_EQ(post("track", clicked), 200);
    ASSERT_EQ(post("page", {{"userId", "u1"}, {"messageId", "m-2"}, {"name", "Pricing"}, {"properties", {{"seq", 2}}}}),
              200);
    const json product = {{"product_id", "p1"}, {"name", "Shoe"}, {"price", 10}, {"quantity", 2}};
    ASSERT_EQ(post("track", {{"userId", "u1"},
                             {"messageId", "m-3"},
                             {"event", "Order Completed"},
                             {"properties", {{"total", 20}, {"products", json::array({product})}}}}),
              200);
    ASSERT_TRUE(eventually([&] {
        const json state = mock_.state();
        return state["events"].size() == 2 && state["purchases"].size() == 1;
    })) << mock_.state().dump(2) << host_->log();
    const json state = mock_.state();
    std::set<std::string> ids;
    for (const json &event : state["events"]) ids.insert(event.value("id", ""));
    EXPECT_EQ(ids, (std::set<std::string>{"m-1", "m-2"}));
    EXPECT_EQ(state["purchases"][0]["id"], "m-3");  // no order id: the messageId
}

}  // namespace
}  // namespace switchyard::testing
