// What is secret, registered before anything could print it: ${file:PATH} values, every value a
// reference put in, write keys, and settings a plugin's schema marks secret.
#include <fstream>

#include <gtest/gtest.h>

#include "host/config/env_expand.h"
#include "host/config/workspace.h"
#include "host/log/log.h"
#include "host/routing/secret_settings.h"

namespace switchyard {
namespace {

class SecretsDir : public ::testing::Test {
   protected:
    SecretsDir() {
        std::string pattern = ::testing::TempDir() + "secrets-XXXXXX";
        dir_ = ::mkdtemp(pattern.data());
    }
    ~SecretsDir() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path write(const std::string &name, const std::string &text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return dir_ / name;
    }
    std::optional<Expansion> expand(std::string_view text) { return expand_references(text, {no_env, dir_}, error); }

    const EnvLookup no_env = [](const std::string &) { return std::nullopt; };
    std::filesystem::path dir_;
    std::string error;
};

TEST_F(SecretsDir, AFileReferenceIsTheFilesContentWithOneTrailingNewlineStripped) {
    write("key", "file-secret-1\n");
    write("two-newlines", "file-secret-2\n\n");
    const auto absolute = write("absolute", "file-secret-3");
    EXPECT_EQ(expand("${file:key}")->text, "file-secret-1");  // relative: from the workspace file's directory
    EXPECT_EQ(expand("${file:two-newlines}")->text, "file-secret-2\n");
    EXPECT_EQ(expand("Bearer ${file:" + absolute.string() + "}")->text, "Bearer file-secret-3");
    EXPECT_EQ(expand("${file:key}")->values, std::vector<std::string>{"file-secret-1"});
}

TEST_F(SecretsDir, AnUnreadableFileIsAProblemNamingThePathNeverTheContent) {
    EXPECT_FALSE(expand("${file:missing}"));
    EXPECT_EQ(error, "secret file " + (dir_ / "missing").string() + " does not exist or is not a regular file");
    EXPECT_FALSE(expand("${file:.}"));  // a directory
    EXPECT_EQ(error, "secret file " + (dir_ / ".").string() + " does not exist or is not a regular file");
    EXPECT_FALSE(expand("${file:}"));
    EXPECT_EQ(error, "\"${file:}\" needs a path");
    write("huge", std::string(64 * 1024 + 1, 'k'));
    EXPECT_FALSE(expand("${file:huge}"));
    EXPECT_EQ(error, "secret file " + (dir_ / "huge").string() + " is larger than 64 KiB");
}

TEST_F(SecretsDir, LoadingRegistersWriteKeysAndEveryExpandedValue) {
    write("token", "loaded-file-secret\n");
    write("acme.yaml", R"(workspace: acme
sources:
  - id: web
    write_key: literal-write-key-9
    destinations: [hook]
  - id: app
    write_key: ${APP_WRITE_KEY}
destinations:
  - id: hook
    plugin: webhook
    settings:
      url: https://example.test/${HOOK_PATH}
      token: ${file:token}
      short: ${SHORT}
      plain: not-a-secret-value
)");
    const EnvLookup env = [](const std::string &name) -> std::optional<std::string> {
        if (name == "APP_WRITE_KEY") return "env-write-key-8";
        if (name == "HOOK_PATH") return "env-hook-path-7";
        if (name == "SHORT") return "abc";
        return std::nullopt;
    };
    const ConfigLoad load = load_config_dir(dir_, env);
    ASSERT_TRUE(load.problems.empty()) << load.problems[0];
    EXPECT_EQ(log::redact("literal-write-key-9 env-write-key-8 https://example.test/env-hook-path-7 loaded-file-secret"),
              "[redacted] [redacted] https://example.test/[redacted] [redacted]");
    // Shorter than 4 bytes: not redacted, or ordinary words would be.
    EXPECT_EQ(log::redact("abc not-a-secret-value"), "abc not-a-secret-value");
}

TEST_F(SecretsDir, ValuesExpandedInAFileWithProblemsAreRegisteredToo) {
    write("acme.yaml", "workspace: acme\nsources:\n  - id: \"${BAD_ID}\"\n    write_key: k\n");
    const EnvLookup env = [](const std::string &) { return std::optional<std::string>("not an id, secret-id-6"); };
    const ConfigLoad load = load_config_dir(dir_, env);
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_EQ(log::redact(load.problems[0]).find("secret-id-6"), std::string::npos) << load.problems[0];
}

TEST(SecretSettings, RegistersTheValuesTheSchemaMarksWriteOnlyOrXSecret) {
    register_secret_settings(
        R"({"type":"object","properties":{"apiKey":{"type":"string","writeOnly":true},"token":{"x-secret":true},)"
        R"("region":{"type":"string"}}})",
        R"({"apiKey":"schema-secret-77","token":"schema-token-66","region":"schema-region-88"})");
    EXPECT_EQ(log::redact("schema-secret-77 schema-token-66 schema-region-88"), "[redacted] [redacted] schema-region-88");
}

TEST(SecretSettings, UnparsableOrOddInputRegistersNothing) {
    register_secret_settings("not json", R"({"apiKey":"odd-value-1"})");
    register_secret_settings(R"({"properties":{"apiKey":{"writeOnly":"yes"}}})", R"({"apiKey":"odd-value-2"})");
    register_secret_settings(R"({"properties":{"apiKey":{"writeOnly":true}}})", R"({"apiKey":12345678})");
    EXPECT_EQ(log::redact("odd-value-1 odd-value-2 12345678"), "odd-value-1 odd-value-2 12345678");
}

}  // namespace
}  // namespace switchyard
