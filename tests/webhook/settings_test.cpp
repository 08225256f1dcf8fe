// Settings through webhook.so's init: refusal sentences (never quoting a secret), defaults, the
// exported schema (secrets marked), pacing, and the README table against the plugin's table.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "settings.h"
#include "tests/webhook/webhook_plugin.h"

namespace webhook::testing {
namespace {

using nlohmann::json;

constexpr const char *kUrl = "https://hooks.example.com/T00/B00/secret-path-token";

struct Refusal {
    std::string name;  // cppcheck-suppress unusedStructMember ; the test's name, read through GetParam()
    json settings;
    std::string sentence;  // cppcheck-suppress unusedStructMember ; read through GetParam()
};

class SettingsRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(SettingsRefusal, InitRefusesWithOneSentenceNamingTheSetting) {
    WebhookPlugin plugin;
    Destination destination(plugin, GetParam().settings.dump());
    EXPECT_FALSE(destination.ok());
    EXPECT_EQ(destination.error(), GetParam().sentence);
    EXPECT_EQ(destination.error().find("secret"), std::string::npos) << "a secret was quoted";
}

INSTANTIATE_TEST_SUITE_P(
    Webhook, SettingsRefusal,
    ::testing::Values(
        Refusal{"NoUrl", json::object(), "Setting \"url\" is required."},
        Refusal{"NotAnObject", json::array(), "Settings must be a JSON object."},
        Refusal{"RelativeUrl", {{"url", "hooks.example.com/secret"}},
                "Setting \"url\" must be an absolute http(s) URL such as https://api.example.com/."},
        Refusal{"PlainHttpOffLoopback", {{"url", "http://hooks.example.com/secret"}},
                "Setting \"url\" may use plain http only for loopback hosts (127.0.0.0/8, localhost, [::1])."},
        Refusal{"MethodGet", {{"url", kUrl}, {"method", "GET"}}, "Setting \"method\" must be POST or PUT."},
        Refusal{"BatchSizeZero", {{"url", kUrl}, {"batchSize", 0}}, "Setting \"batchSize\" must be a whole number between 1 and 1000."},
        Refusal{"BatchSizeTooLarge", {{"url", kUrl}, {"batchSize", 1001}}, "Setting \"batchSize\" must be a whole number between 1 and 1000."},
        Refusal{"BatchSizeString", {{"url", kUrl}, {"batchSize", "10"}}, "Setting \"batchSize\" must be a whole number between 1 and 1000."},
        Refusal{"TimeoutZero", {{"url", kUrl}, {"timeoutMs", 0}},
                "Setting \"timeoutMs\" must be a whole number of milliseconds between 1 and 3600000."},
        Refusal{"RateZero", {{"url", kUrl}, {"requestsPerSecond", 0}}, "Setting \"requestsPerSecond\" must be a number greater than 0."},
        Refusal{"HeadersNotAnObject", {{"url", kUrl}, {"headers", "Authorization: secret"}},
                "Setting \"headers\" must be an object of header name to value."},
        Refusal{"HeaderValueWithLineBreak", {{"url", kUrl}, {"headers", {{"X-Token", "secret\r\nX-Injected: 1"}}}},
                "Setting \"headers\" has a line break or NUL in the value of \"X-Token\"."},
        Refusal{"HeaderValueNotString", {{"url", kUrl}, {"headers", {{"X-Token", 42}}}}, "Setting \"headers\" needs a string value for \"X-Token\"."},
        Refusal{"HeaderNameInvalid", {{"url", kUrl}, {"headers", {{"Bad Name", "v"}}}},
                "Setting \"headers\" has \"Bad Name\", which is not a valid HTTP header name."},
        Refusal{"HeaderReserved", {{"url", kUrl}, {"headers", {{"content-type", "text/plain"}}}},
                "Setting \"headers\" must not set \"content-type\", which the plugin sets itself."},
        Refusal{"UnknownKey", {{"url", kUrl}, {"batchsize", 10}},
                "Setting \"batchsize\" is not known (did you mean \"batchSize\"?); valid settings are url, method, headers, "
                "batchSize, timeoutMs, requestsPerSecond."}),
    [](const ::testing::TestParamInfo<Refusal> &info) { return info.param.name; });

TEST(WebhookTable, DeclaresWhatItAccepts) {
    WebhookPlugin plugin;
    const sy_plugin &table = plugin.table();
    EXPECT_EQ(table.struct_size, sizeof(sy_plugin));
    EXPECT_EQ(table.abi_major, 2u);
    EXPECT_EQ(table.abi_minor, static_cast<uint32_t>(SY_ABI_MINOR));
    EXPECT_STREQ(table.name, "webhook");
    EXPECT_EQ(table.message_types, nullptr);  // every type
    EXPECT_EQ(table.max_events_per_request, 1000u);
    EXPECT_EQ(table.max_body_bytes, 4u * 1024 * 1024);
    EXPECT_EQ(table.delete_users, nullptr);
    EXPECT_NE(table.verify, nullptr);
    EXPECT_NE(table.rate_limits, nullptr);
}

TEST(WebhookTable, SchemaMarksSecretsAndDefaults) {
    WebhookPlugin plugin;
    const json schema = json::parse(plugin.table().settings_schema);
    EXPECT_EQ(schema["type"], "object");
    EXPECT_EQ(schema["additionalProperties"], false);
    EXPECT_EQ(schema["required"], json::array({"url"}));
    const json &properties = schema["properties"];
    EXPECT_EQ(properties["url"]["writeOnly"], true);
    EXPECT_EQ(properties["headers"]["writeOnly"], true);
    EXPECT_EQ(properties["headers"]["x-secret"], true);
    EXPECT_EQ(properties["headers"]["additionalProperties"], json({{"type", "string"}}));
    EXPECT_FALSE(properties["batchSize"].contains("writeOnly"));
    EXPECT_EQ(properties["method"]["enum"], json::array({"POST", "PUT"}));
    EXPECT_EQ(properties["method"]["default"], "POST");
    EXPECT_EQ(properties["batchSize"]["default"], 1);
    EXPECT_EQ(properties["batchSize"]["maximum"], 1000);
    EXPECT_EQ(properties["timeoutMs"]["default"], 10000);
    EXPECT_FALSE(properties["requestsPerSecond"].contains("default"));
}

TEST(WebhookSettings, DefaultsWithOnlyAUrl) {
    WebhookPlugin plugin;
    Destination destination(plugin, json{{"url", kUrl}}.dump());
    ASSERT_TRUE(destination.ok()) << destination.error();
    const Transformed out = destination.transform({R"({"type":"track"})", R"({"type":"identify"})"});
    ASSERT_EQ(out.requests.size(), 2u);  // batchSize 1
    EXPECT_EQ(out.requests[0].method, "POST");
    EXPECT_EQ(out.requests[0].url, kUrl);
    EXPECT_EQ(out.requests[0].rate_key, "");
    EXPECT_TRUE(destination.rate_limits().empty());
}

TEST(WebhookSettings, RequestsPerSecondBecomesTheRateLimitOfEveryRequest) {
    WebhookPlugin plugin;
    Destination destination(plugin, json{{"url", kUrl}, {"requestsPerSecond", 2.5}}.dump());
    ASSERT_TRUE(destination.ok()) << destination.error();
    const std::vector<sy_rate_limit> limits = destination.rate_limits();
    ASSERT_EQ(limits.size(), 1u);
    EXPECT_EQ(text(limits[0].rate_key), "webhook");
    EXPECT_DOUBLE_EQ(limits[0].requests_per_second, 2.5);
    EXPECT_EQ(destination.transform({R"({"type":"track"})"}).requests.at(0).rate_key, "webhook");
}

// The README's settings section is the table rendered; regenerate it from the failure text.
TEST(WebhookSettings, ReadmeSectionMatchesTheTable) {
    std::ifstream in(WEBHOOK_README_PATH);
    std::stringstream content;
    content << in.rdbuf();
    const std::string readme = content.str();
    const std::string begin = "<!-- settings-table:begin -->\n", end = "<!-- settings-table:end -->";
    const size_t from = readme.find(begin), to = readme.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), settings_table().markdown());
}

}  // namespace
}  // namespace webhook::testing
