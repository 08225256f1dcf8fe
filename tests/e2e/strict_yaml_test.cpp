// Strict YAML on reload: a workspace file whose write key lost its closing quote is refused,
// naming file, line and key, and the host keeps the configuration in force (the real key is
// still accepted), instead of serving a write key that swallowed the rest of the file.
#include "tests/e2e/e2e_fixture.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

class StrictYaml : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        start_host(workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url())));
    }
    MockIterable mock_{MockOptions{}};
};

TEST_F(StrictYaml, AReloadOfAnUnterminatedQuoteIsRefusedAndTheOldConfigStays) {
    std::string yaml = workspace_yaml({"iterable"}, iterable_destination("iterable", mock_.base_url()));
    const std::string key_line = "write_key: " + std::string(kWriteKey);
    ASSERT_NE(yaml.find(key_line), std::string::npos);
    yaml.replace(yaml.find(key_line), key_line.size(), "write_key: \"" + std::string(kWriteKey));
    std::ofstream(root_ / "config" / "e2e.yaml") << yaml;

    auto res = host_->client()->Post("/admin/reload", "", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body;
    EXPECT_NE(res->body.find("e2e.yaml:4: sources[0].write_key: the quoted value has no closing quote"),
              std::string::npos)
        << res->body;
    EXPECT_EQ(res->body.find(kWriteKey), std::string::npos) << "the write key was printed: " << res->body;
    ASSERT_EQ(post("track", track("u1", 1)), 200);
    EXPECT_TRUE(eventually([&] { return recorded_seqs(mock_, "u1") == std::vector<int>{1}; })) << host_->log();
}

}  // namespace
}  // namespace switchyard::testing
