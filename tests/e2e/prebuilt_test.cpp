// Pre-built requests end to end: the real host refuses them from an ordinary source and
// delivers them, with the destination's API key, from a source marked `trusted: true`.
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr const char *kWarehouseKey = "e2e-warehouse-key-41c9";

class Prebuilt : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        start_host("workspace: e2e\nsources:\n  - id: app\n    write_key: " + std::string(kWriteKey) +
                   "\n    destinations: [iterable]\n  - id: warehouse\n    write_key: " + kWarehouseKey +
                   "\n    trusted: true\n    destinations: [iterable]\ndestinations:\n" +
                   iterable_destination("iterable", mock_.base_url()));
    }
    // A users/update the sender built itself, as a Reverse-ETL source sends it.
    json users_update(const std::string &user) const {
        return {{"userId", user},
                {"statusCode", 200},
                {"method", "POST"},
                {"endpoint", mock_.base_url() + "users/update"},
                {"body", {{"JSON", {{"userId", user}, {"dataFields", {{"chosen", "by the sender"}}}}}}}};
    }
    MockIterable mock_{MockOptions{}};
};

TEST_F(Prebuilt, OnlyATrustedSourceGetsItsRequestDelivered) {
    ASSERT_EQ(post("identify", users_update("from-app")), 400);
    ASSERT_EQ(post("identify", users_update("from-warehouse"), kWarehouseKey), 200);
    ASSERT_TRUE(eventually([&] { return mock_.state()["users"].contains("from-warehouse"); }))
        << mock_.state().dump(2) << host_->log();
    // An ordinary event of the app, sent after the refused one, arrives: the refusal held nothing up.
    ASSERT_EQ(post("track", track("from-app", 1)), 200);
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_, "from-app") == std::vector<int>{1}; })) << host_->log();
    const json state = mock_.state();
    EXPECT_EQ(state["users"]["from-warehouse"]["dataFields"]["chosen"], "by the sender") << state.dump(2);
    EXPECT_EQ(state.value("/users/from-app/dataFields/chosen"_json_pointer, ""), "") << state.dump(2);
}

}  // namespace
}  // namespace switchyard::testing
