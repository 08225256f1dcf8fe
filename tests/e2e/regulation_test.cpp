// Regulations through `serve`: a suppressed user's events never reach the destination, and a
// delete regulation makes the mock Iterable receive the deletion, retried across a restart.
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/cli_run.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

class Regulations : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())));
    }
    std::pair<int, json> admin_post(const json &body) {
        auto res = host_->client()->Post("/admin/regulations", body.dump(), "application/json");
        if (!res) return {0, nullptr};
        return {res->status, json::parse(res->body, nullptr, false)};
    }
    json regulation(int64_t id) {
        const json listed = json::parse(get("/admin/regulations"), nullptr, false);
        if (listed.is_discarded()) return nullptr;
        for (const json &r : listed["regulations"])
            if (r["id"] == id) return r;
        return nullptr;
    }
    MockIterable mock_{MockOptions{}};
};

TEST_F(Regulations, ASuppressedUsersEventsAreDroppedAndCounted) {
    EXPECT_EQ(admin_post({{"regulationType", "suppress"}, {"users", json::array({{{"email", "a@example.com"}}})}}).first, 400);
    const auto [typo, refusal] = admin_post({{"regulationType", "suppress"},
                                             {"destinationIds", {"iterable", "itreable"}},
                                             {"users", {{{"userId", "u1"}}}}});
    EXPECT_EQ(typo, 400);
    EXPECT_EQ(refusal["error"], "\"destinationIds\" names no configured destination: \"itreable\".");
    const auto [status, added] = admin_post({{"regulationType", "suppress"}, {"users", {{{"userId", "u1"}}}}});
    ASSERT_EQ(status, 201);
    const int64_t id = added["id"];  // a lambda may not capture a structured binding (clang 14)
    ASSERT_EQ(post("track", track("u1", 1)), 200);
    ASSERT_EQ(post("track", track("u2", 2)), 200);
    EXPECT_NE(get("/metrics").find("switchyard_events_filtered_total{destination=\"e2e/iterable\",reason=\"suppressed\"} 1\n"),
              std::string::npos);
    ASSERT_TRUE(eventually([&] { return regulation(id)["state"] == "done"; })) << get("/admin/regulations");
    ASSERT_TRUE(eventually([&] { return recorded_seqs(mock_).size() == 1; })) << host_->log();
    EXPECT_EQ(recorded_seqs(mock_), std::vector<int>{2});
    EXPECT_EQ(host_->log().find("u1"), std::string::npos) << "a user id was logged";
}

TEST_F(Regulations, ADeleteIsSentAndRetriedAndRegulationsSurviveARestart) {
    mock_.queue_response("/api/users/byUserId/u1", 503, R"({"msg":"busy","code":"GenericError","params":null})");
    const auto [status, added] = admin_post({{"regulationType", "delete"}, {"destinationIds", {"iterable"}},
                                             {"users", {{{"userId", "u1"}, {"email", "u1@example.com"}}}}});
    ASSERT_EQ(status, 201);
    const int64_t first = added["id"];
    ASSERT_TRUE(eventually([&] { return regulation(first)["state"] == "done"; })) << get("/admin/regulations");
    EXPECT_EQ(regulation(first)["destinations"]["e2e/iterable"]["attempts"], 1);  // the 503, then success
    EXPECT_EQ(mock_.stats().by_path["users/byUserId/u1"], 2u);

    // Stopped, a regulation added by the CLI waits in the store; the restarted host carries it out.
    ASSERT_EQ(host_->terminate(), 0);
    std::ofstream(root_ / "delete-u2.json") << R"({"regulationType":"delete","users":[{"userId":"u2"}]})";
    const CliRun added_by_cli = run_command(std::string(SWITCHYARD_BIN) + " regulation add --data-dir " +
                                            data_dir().string() + " --file " + (root_ / "delete-u2.json").string());
    ASSERT_EQ(added_by_cli.exit_code, 0) << added_by_cli.output;
    host_->start();
    ASSERT_TRUE(eventually([&] { return regulation(first + 1)["state"] == "done"; })) << get("/admin/regulations");
    EXPECT_EQ(regulation(first)["state"], "done");
    EXPECT_EQ(mock_.stats().by_path["users/byUserId/u2"], 1u);
    EXPECT_EQ(mock_.stats().by_path["users/byUserId/u1"], 2u);  // done stays done
    EXPECT_EQ(host_->log().find("u1@example.com"), std::string::npos) << "an email was logged";
}

}  // namespace
}  // namespace switchyard::testing
