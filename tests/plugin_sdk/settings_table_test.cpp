// The settings table engine: defaults, one-sentence problems, "did you mean", secrets, and the
// schema and Markdown rendered from the same rows.
#include <array>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "switchyard/sdk/secret.h"
#include "switchyard/sdk/settings_table.h"

namespace sy::sdk {
namespace {

using nlohmann::json;

struct Settings {
    std::string url;  // cppcheck-suppress unusedStructMember ; stored by its row, read by no test
    Secret token;
    bool verbose = false;
    uint32_t timeout_ms = 0;
};

constexpr std::array kRows = std::to_array<Setting<Settings>>({
    {{"url", &kinds::kUrl, "", true, false, "Where requests go."},
     [](Settings &s, const json &v) { s.url = v.get<std::string>(); }},
    {{"token", &kinds::kString, "", false, true, "Bearer token."},
     [](Settings &s, const json &v) { s.token = Secret(v.get<std::string>()); }},
    {{"verbose", &kinds::kBoolean, "true", false, false, "Log more."},
     [](Settings &s, const json &v) { s.verbose = v.get<bool>(); }},
    {{"timeoutMs", &kinds::kMilliseconds, "2500", false, false, "Whole-request timeout in ms."},
     [](Settings &s, const json &v) { s.timeout_ms = v.get<uint32_t>(); }},
    {{"legacy*", &kinds::kIgnored, "", false, false, "Old keys; accepted and ignored."}, nullptr},
});

const SettingsTable<Settings> &table() {
    static const SettingsTable<Settings> table("Example settings", kRows);
    return table;
}

TEST(SettingsTable, StoresGivenValuesAndDefaults) {
    const auto parsed = table().parse(R"({"url":"https://example.com/hook","token":"t0k3n","legacyMode":[1]})");
    ASSERT_TRUE(parsed.ok) << parsed.error;
    EXPECT_EQ(parsed.settings.url, "https://example.com/hook");
    EXPECT_EQ(parsed.settings.token.reveal(), "t0k3n");
    EXPECT_TRUE(parsed.settings.verbose);
    EXPECT_EQ(parsed.settings.timeout_ms, 2500u);
}

TEST(SettingsTable, EachProblemIsOneSentenceNamingTheSetting) {
    EXPECT_EQ(table().parse("[]").error, "Settings must be a JSON object.");
    EXPECT_EQ(table().parse("not json").error, "Settings must be a JSON object.");
    EXPECT_EQ(table().parse("{}").error, R"(Setting "url" is required.)");
    EXPECT_EQ(table().parse(R"({"url":"https://x.io","verbose":"yes"})").error,
              R"(Setting "verbose" must be true or false.)");
    EXPECT_EQ(table().parse(R"({"url":"https://x.io","timeoutMs":0})").error,
              R"(Setting "timeoutMs" must be a whole number of milliseconds between 1 and 3600000.)");
    EXPECT_EQ(table().parse(R"({"url":"http://10.0.0.1/"})").error,
              R"(Setting "url" may use plain http only for loopback hosts (127.0.0.0/8, localhost, [::1]).)");
    EXPECT_TRUE(table().parse(R"({"url":"http://127.0.0.1:9/"})").ok);
}

TEST(SettingsTable, UnknownKeysSuggestTheClosestAndListTheValidOnes) {
    EXPECT_EQ(table().parse(R"({"url":"https://x.io","timeoutMS":5})").error,
              R"(Setting "timeoutMS" is not known (did you mean "timeoutMs"?); valid settings are url, token, )"
              R"(verbose, timeoutMs, legacy*.)");
    EXPECT_EQ(table().parse(R"({"url":"https://x.io","color":5})").error.find("did you mean"), std::string::npos);
    EXPECT_EQ(table().closest_name("tokn"), "token");
}

TEST(SettingsTable, SecretsNeverAppearInProblemsOrPrints) {
    const auto parsed = table().parse(R"({"url":"https://x.io","token":"s3cret","verbose":"s3cret"})");
    EXPECT_FALSE(parsed.ok);
    EXPECT_EQ(parsed.error.find("s3cret"), std::string::npos) << parsed.error;
    std::ostringstream printed;
    printed << Secret("s3cret");
    EXPECT_EQ(printed.str(), "[redacted]");
}

TEST(SettingsTable, SchemaAndMarkdownComeFromTheRows) {
    const json schema = json::parse(table().schema_json());
    EXPECT_EQ(schema["title"], "Example settings");
    EXPECT_EQ(schema["additionalProperties"], false);
    EXPECT_EQ(schema["required"], json::array({"url"}));
    EXPECT_EQ(schema["properties"]["url"], json::parse(R"({"type":"string","format":"uri","description":"Where requests go."})"));
    EXPECT_EQ(schema["properties"]["token"]["writeOnly"], true);
    EXPECT_EQ(schema["properties"]["token"]["x-secret"], true);
    EXPECT_EQ(schema["properties"]["timeoutMs"]["default"], 2500);
    EXPECT_TRUE(schema["patternProperties"].contains("^legacy"));
    EXPECT_NE(table().markdown().find("| `timeoutMs` | integer (ms) | `2500` | no | no | Whole-request timeout in ms. |\n"),
              std::string::npos)
        << table().markdown();
}

}  // namespace
}  // namespace sy::sdk
