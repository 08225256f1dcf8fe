// Settings: defaults, validation sentences, did-you-mean, secrets, and README/table agreement.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "settings.h"

namespace iterable {
namespace {

SettingsParse parse(const std::string &json) { return parse_settings(json); }

// RudderStack's dashboard defaults (rudder-integrations-config iterable/schema.json), which for the
// page flags differ from the reference transformer's absent-is-false.
TEST(IterableSettings, DashboardDefaultsWhenKeysAreAbsent) {
    SettingsParse p = parse(R"({"apiKey":"k"})");
    ASSERT_TRUE(p.ok) << p.error;
    const Settings &s = p.settings;
    EXPECT_EQ(s.base_url, "https://api.iterable.com/api/");
    EXPECT_TRUE(s.prefer_user_id);
    EXPECT_TRUE(s.merge_nested_objects);
    EXPECT_FALSE(s.track_all_pages);
    EXPECT_TRUE(s.track_categorised_pages && s.track_named_pages && s.map_to_single_event);
    EXPECT_FALSE(s.event_id_from_message_id);
    EXPECT_TRUE(s.device_api_key.empty());
    EXPECT_EQ(s.connect_timeout_ms, 5000u);
    EXPECT_EQ(s.request_timeout_ms, 30000u);
    EXPECT_EQ(s.rate_limits.size(), 9u);
}

TEST(IterableSettings, WarnsWhenNoPageFlagLetsAnyPageThrough) {
    SettingsParse p = parse(R"({"apiKey":"k","trackCategorisedPages":false,"trackNamedPages":false})");
    ASSERT_TRUE(p.ok) << p.error;
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0], "Settings \"trackAllPages\", \"trackCategorisedPages\" and \"trackNamedPages\" are all "
                             "false, so every page and screen event fails with \"Invalid page call\" (or \"Invalid "
                             "screen call\").");
    EXPECT_TRUE(parse(R"({"apiKey":"k"})").warnings.empty());
    EXPECT_TRUE(parse(R"({"apiKey":"k","trackCategorisedPages":false})").warnings.empty());
}

TEST(IterableSettings, DataCenterPicksTheBaseUrl) {
    EXPECT_EQ(parse(R"({"dataCenter":"EUDC"})").settings.base_url, "https://api.eu.iterable.com/api/");
    EXPECT_EQ(parse(R"({"dataCenter":"XX"})").error, R"(Setting "dataCenter" must be USDC or EUDC, got "XX".)");
}

TEST(IterableSettings, WrongTypesNameTheKey) {
    EXPECT_EQ(parse(R"({"trackAllPages":"yes"})").error, R"(Setting "trackAllPages" must be true or false.)");
    EXPECT_EQ(parse(R"({"apiKey":5})").error, R"(Setting "apiKey" must be a string.)");
    EXPECT_EQ(parse(R"({"connectTimeoutMs":-1})").error,
              R"(Setting "connectTimeoutMs" must be a whole number of milliseconds between 1 and 3600000.)");
    EXPECT_EQ(parse("[]").error, "Settings must be a JSON object.");
}

TEST(IterableSettings, UnknownKeyListsValidOnesAndSuggests) {
    std::string error = parse(R"({"apikey":"secret-value"})").error;
    EXPECT_EQ(error.rfind(R"(Setting "apikey" is not known (did you mean "apiKey"?); valid settings are apiKey, dataCenter,)", 0), 0u)
        << error;
    EXPECT_EQ(error.find("secret-value"), std::string::npos);
    EXPECT_EQ(settings_table().closest_name("trackNamedPage"), "trackNamedPages");
    EXPECT_EQ(settings_table().closest_name("completelyDifferent"), "");
    EXPECT_EQ(parse(R"({"hubID":"1"})").error.find("did you mean"), std::string::npos);
}

TEST(IterableSettings, SecretsNeverAppearInMessages) {
    for (const char *json : {R"({"apiKey":"s3cret","registerDeviceOrBrowserApiKey":7})",
                             R"({"apiKey":"s3cret","endpoint":"http://example.com/"})"}) {
        SettingsParse p = parse(json);
        EXPECT_FALSE(p.ok);
        EXPECT_EQ(p.error.find("s3cret"), std::string::npos) << p.error;
    }
}

TEST(IterableSettings, SecretsRedactThemselvesWhenPrinted) {
    std::ostringstream printed;
    printed << parse(R"({"apiKey":"s3cret"})").settings.api_key;
    EXPECT_EQ(printed.str(), "[redacted]");
}

TEST(IterableSettings, WebSdkAndConsentKeysAreAcceptedAndIgnored) {
    SettingsParse p = parse(R"({"useNativeSDK":{"web":true},"closeButtonColor":"#fff","oneTrustCookieCategories":[],
                               "blacklistedEvents":[{"eventName":""}],"connectionMode":"cloud"})");
    EXPECT_TRUE(p.ok) << p.error;
}

TEST(IterableSettings, EndpointOverrideIsHttpsOrLoopbackHttp) {
    EXPECT_EQ(parse(R"({"endpoint":"http://127.0.0.1:8080/api/"})").settings.base_url, "http://127.0.0.1:8080/api/");
    EXPECT_EQ(parse(R"({"endpoint":"http://localhost:9/api"})").settings.base_url, "http://localhost:9/api/");
    EXPECT_TRUE(parse(R"({"endpoint":"http://[::1]:9/api/"})").ok);
    EXPECT_TRUE(parse(R"({"endpoint":"https://proxy.example.com/api/"})").ok);
    EXPECT_EQ(parse(R"({"endpoint":"http://10.0.0.1/api/"})").error,
              R"(Setting "endpoint" may use plain http only for loopback hosts (127.0.0.0/8, localhost, [::1]).)");
    EXPECT_FALSE(parse(R"({"endpoint":"http://127.0.0.1.evil.com/"})").ok);
    EXPECT_FALSE(parse(R"({"endpoint":"ftp://127.0.0.1/"})").ok);
}

TEST(IterableSettings, RateLimitsReplaceDefaultsOneByOne) {
    SettingsParse p = parse(R"({"rateLimits":{"catalogs":7}})");
    ASSERT_TRUE(p.ok) << p.error;
    for (const RateLimitSetting &l : p.settings.rate_limits) {
        if (l.rate_key == "catalogs") {
            EXPECT_EQ(l.requests_per_second, 7);
        }
    }
    EXPECT_NE(parse(R"({"rateLimits":{"catalog":7}})").error.find(R"(unknown rate key "catalog")"), std::string::npos);
    EXPECT_FALSE(parse(R"({"rateLimits":{"catalogs":0}})").ok);
}

TEST(IterableSettings, SchemaComesFromTheTable) {
    auto schema = nlohmann::json::parse(settings_table().schema_json());
    EXPECT_EQ(schema["additionalProperties"], false);
    EXPECT_EQ(schema["properties"]["dataCenter"]["enum"], nlohmann::json::array({"USDC", "EUDC"}));
    EXPECT_EQ(schema["properties"]["apiKey"]["writeOnly"], true);
    EXPECT_TRUE(schema["patternProperties"].contains("^closeButton"));
    EXPECT_EQ(schema["properties"].size() + schema["patternProperties"].size(), settings_table().specs().size());
}

// The README's settings section is the table rendered; regenerate it from the failure text.
TEST(IterableSettings, ReadmeSectionMatchesTheTable) {
    std::ifstream in(ITERABLE_README_PATH);
    std::stringstream text;
    text << in.rdbuf();
    const std::string readme = text.str();
    const std::string begin = "<!-- settings-table:begin -->\n", end = "<!-- settings-table:end -->";
    size_t from = readme.find(begin), to = readme.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), settings_table().markdown());
}

}  // namespace
}  // namespace iterable
