// A plugin's settings schema read by the host: every problem at once with its path, defaults,
// secrets at any depth, unusable schemas, and the settings reference.
#include <gtest/gtest.h>

#include "host/log/log.h"
#include "host/plugin/settings_reference.h"
#include "host/plugin/settings_schema.h"
#include "host/routing/secret_settings.h"

namespace switchyard {
namespace {

using nlohmann::json;

// The echo fixture's schema (tests/e2e/fixtures/echo_settings.c), with additionalProperties false.
constexpr const char *kSchema = R"({"type":"object","additionalProperties":false,"required":["token"],"properties":{
  "token":{"type":"string","x-secret":true},
  "greeting":{"type":"string","default":"hello","description":"Said first."},
  "retries":{"type":"integer","minimum":0,"default":3},
  "mode":{"type":"string","enum":["fast","slow"]},
  "auth":{"type":"object","required":["user"],"properties":{"user":{"type":"string"},
    "password":{"type":"string","writeOnly":true},"realm":{"type":"string","default":"main"}}},
  "headers":{"type":"object","additionalProperties":{"type":"string","x-secret":true}},
  "hosts":{"type":"array","items":{"type":"string"}}}})";

std::vector<std::string> described(const std::vector<SettingProblem> &problems) {
    std::vector<std::string> lines;
    for (const SettingProblem &p : problems) lines.push_back(p.path + ": " + p.what);
    return lines;
}

TEST(SettingsSchema, ReportsEveryProblemAtOnceEachNamingItsSetting) {
    const std::string kUnknownColour =
        "settings.colour: is not a known setting (valid: auth, greeting, headers, hosts, mode, retries, token)";
    const CheckedSettings checked = check_settings(
        kSchema, R"({"retries":-1,"mode":"warp","auth":{"password":"pw-never-shown-1"},"headers":{"X-Token":5},)"
                 R"("hosts":["a",7],"colour":"red"})");
    EXPECT_TRUE(checked.completed_json.empty());
    EXPECT_EQ(described(checked.problems),
              (std::vector<std::string>{"settings.auth.user: is required", "settings.headers.X-Token: must be a string",
                                        "settings.hosts[1]: must be a string", "settings.mode: must be one of \"fast\", \"slow\"",
                                        "settings.retries: must be at least 0",
                                        kUnknownColour,
                                        "settings.token: is required"}));
    EXPECT_EQ(checked.problems[1].pointer, "/headers/X-Token");
}

TEST(SettingsSchema, AppliesDefaultsAtTheTopAndInNestedObjectsBeforeInit) {
    const CheckedSettings checked = check_settings(kSchema, R"({"token":"t","auth":{"user":"u"}})");
    ASSERT_TRUE(checked.problems.empty()) << checked.problems[0].what;
    EXPECT_EQ(json::parse(checked.completed_json),
              json::parse(R"({"token":"t","greeting":"hello","retries":3,"auth":{"user":"u","realm":"main"}})"));
    // A value given is kept; an object absent gets no defaults of its own.
    const CheckedSettings given = check_settings(kSchema, R"({"token":"t","greeting":"hi"})");
    EXPECT_EQ(json::parse(given.completed_json), json::parse(R"({"token":"t","greeting":"hi","retries":3})"));
}

TEST(SettingsSchema, AnEmptyOrAbsentSchemaAcceptsAnyObject) {
    EXPECT_TRUE(check_settings("{}", R"({"anything":[1,2]})").problems.empty());
    EXPECT_EQ(settings_schema_refusal(nullptr), "");
    EXPECT_EQ(described(check_settings("{}", "[1]").problems),
              std::vector<std::string>{"settings: must be a mapping of the plugin's settings"});
}

TEST(SettingsSchema, AnUnusableSchemaIsRefusedWithASentence) {
    EXPECT_EQ(settings_schema_refusal(R"({"type":"object",)"), "its settings_schema is not valid JSON (at byte 18)");
    EXPECT_EQ(settings_schema_refusal("[]"), "its settings_schema must be a JSON Schema object, got a JSON array");
    EXPECT_EQ(settings_schema_refusal(R"({"type":"string"})"),
              "its settings_schema must describe a settings object (\"type\": \"object\"), not \"string\"");
    EXPECT_EQ(settings_schema_refusal(R"({"properties":{"a":{"type":"strnig"}}})"),
              "its settings_schema is not a usable JSON Schema (Unrecognised JSON type name 'strnig')");
    EXPECT_NE(settings_schema_refusal(R"({"$ref":"https://example.com/schema.json"})"), "");
}

TEST(SettingsSchema, SecretsAtAnyDepthAreRegisteredAndNeverQuotedInProblems) {
    register_secret_settings(kSchema, R"({"token":"tok-secret-31","auth":{"user":"plain-user-9","password":"pw-secret-32"},)"
                                      R"("headers":{"X-Token":"hdr-secret-33"}})");
    EXPECT_EQ(log::redact("tok-secret-31 pw-secret-32 hdr-secret-33 plain-user-9"),
              "[redacted] [redacted] [redacted] plain-user-9");
    // Wrong values of secret settings: the problem names the setting, not the value.
    const CheckedSettings checked =
        check_settings(R"({"properties":{"token":{"type":"string","x-secret":true,"enum":["a","b"]},)"
                       R"("pin":{"type":"string","writeOnly":true,"maxLength":4}}})",
                       R"({"token":"tok-unregistered-34","pin":"pin-unregistered-35"})");
    const std::vector<std::string> lines = described(checked.problems);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "settings.pin: must be at most 4 characters long");
    EXPECT_EQ(lines[1], "settings.token: must be one of \"a\", \"b\"");
}

TEST(SettingsReference, OneRowPerSettingNestedOnesAfterTheirObject) {
    const std::vector<SettingReference> rows = settings_reference(json::parse(kSchema));
    std::vector<std::string> lines;
    for (const SettingReference &r : rows)
        lines.push_back(r.path + " | " + r.type + " | " + (r.required ? "required" : "optional") + " | " +
                        r.default_value + " | " + (r.secret ? "secret" : "-") + " | " + r.description);
    EXPECT_EQ(lines, (std::vector<std::string>{
                         "auth | object | optional |  | - | ",
                         "auth.password | string | optional |  | secret | ",
                         "auth.realm | string | optional | \"main\" | - | ",
                         "auth.user | string | required |  | - | ",
                         "greeting | string | optional | \"hello\" | - | Said first.",
                         "headers | object | optional |  | - | ",
                         "headers.* | string | optional |  | secret | ",
                         "hosts | array | optional |  | - | ",
                         "mode | string (fast|slow) | optional |  | - | ",
                         "retries | integer | optional | 3 | - | ",
                         "token | string | required |  | secret | ",
                     }));
}

TEST(SettingsReference, PrintsAnAlignedTableWithLongDefaultsBelowTheirRow) {
    const json schema = json::parse(R"({"properties":{"limits":{"type":"object","description":"Per key.",)"
                                    R"("default":{"users/bulkUpdate":5,"events/track":2000}},"on":{"type":"boolean","default":true}}})");
    std::ostringstream out;
    print_settings_reference(out, settings_reference(schema));
    EXPECT_EQ(out.str(),
              "SETTING  TYPE     REQUIRED  DEFAULT  SECRET  DESCRIPTION\n"
              "limits   object   no        (below)  no      Per key.\n"
              "    default of limits: {\"events/track\":2000,\"users/bulkUpdate\":5}\n"
              "on       boolean  no        true     no\n");
}

}  // namespace
}  // namespace switchyard
