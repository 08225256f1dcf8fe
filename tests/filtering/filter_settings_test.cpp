// Reading the host-level settings from a destination's settings as RudderStack writes them.
#include <gtest/gtest.h>

#include "host/filtering/filter_settings.h"
#include "host/routing/destination_settings.h"

namespace switchyard::filtering {
namespace {

using json = nlohmann::json;

TEST(FilterSettings, ReadsRudderStackShapesAndDropsEmptyIds) {
    const json settings = json::parse(R"({
        "apiKey": "k",
        "eventFilteringOption": "blacklistedEvents",
        "whitelistedEvents": [{"eventName": "W"}],
        "blacklistedEvents": [{"eventName": "B1"}, {"eventName": ""}, {"eventName": "B2"}],
        "oneTrustCookieCategories": [{"oneTrustCookieCategory": "C1"}, {"oneTrustCookieCategory": ""}],
        "ketchConsentPurposes": [{"purpose": "P1"}],
        "consentManagement": [
            {"provider": "oneTrust", "resolutionStrategy": "", "consents": [{"consent": "G1"}, {"consent": ""}]},
            {"provider": "custom", "resolutionStrategy": "or", "consents": [{"consent": "X"}]},
            {"provider": "ketch", "consents": [{"consent": ""}]},
            {"provider": "", "consents": [{"consent": "Z"}]}
        ]})");
    const FilterSettings read = read_filter_settings(settings);
    ASSERT_TRUE(read.problems.empty()) << read.problems[0].pointer << " " << read.problems[0].what;
    EXPECT_EQ(read.filter.events, (EventFilter{EventFilterOption::blacklisted_events, {"B1", "B2"}}));
    EXPECT_EQ(read.filter.consent.one_trust_categories, std::vector<std::string>{"C1"});
    EXPECT_EQ(read.filter.consent.ketch_purposes, std::vector<std::string>{"P1"});
    // Entries without a provider or without a non-empty consent are left out, as rudder-server does.
    ASSERT_EQ(read.filter.consent.providers.size(), 2u);
    EXPECT_EQ(read.filter.consent.providers.at("oneTrust"), (ProviderConsents{"", {"G1"}}));
    EXPECT_EQ(read.filter.consent.providers.at("custom"), (ProviderConsents{"or", {"X"}}));
}

TEST(FilterSettings, NoKeysFilterNothing) {
    const FilterSettings read = read_filter_settings(json{{"apiKey", "k"}});
    EXPECT_TRUE(read.problems.empty());
    EXPECT_TRUE(read.filter.filters_nothing());
    EXPECT_TRUE(read_filter_settings(json{{"eventFilteringOption", "disable"}}).filter.filters_nothing());
}

TEST(FilterSettings, TheLastEntryOfAProviderWins) {
    const FilterSettings read = read_filter_settings(json::parse(R"({"consentManagement": [
        {"provider": "oneTrust", "consents": [{"consent": "A"}]},
        {"provider": "oneTrust", "consents": [{"consent": "B"}]}]})"));
    EXPECT_EQ(read.filter.consent.providers.at("oneTrust").consents, std::vector<std::string>{"B"});
}

struct ProblemCase {
    const char *name;  // cppcheck-suppress unusedStructMember ; the test's name, read through GetParam()
    const char *settings;
    const char *pointer;
    const char *what;
};

// Where rudder-server would silently ignore a malformed value (and deliver), the host refuses.
const ProblemCase kProblems[] = {
    {"unknown_option", R"({"eventFilteringOption": "allow"})", "/eventFilteringOption",
     "must be one of \"disable\", \"whitelistedEvents\", \"blacklistedEvents\""},
    {"list_not_array", R"({"whitelistedEvents": "A"})", "/whitelistedEvents",
     "must be a list of {\"eventName\": …} objects"},
    {"item_not_object", R"({"blacklistedEvents": ["A"]})", "/blacklistedEvents/0",
     "must be an object with a \"eventName\" string"},
    {"name_not_string", R"({"blacklistedEvents": [{"eventName": 3}]})", "/blacklistedEvents/0/eventName",
     "must be a string"},
    {"one_trust_per_source_type", R"({"oneTrustCookieCategories": {"web": []}})", "/oneTrustCookieCategories",
     "must be a list of {\"oneTrustCookieCategory\": …} objects"},
    {"ketch_item", R"({"ketchConsentPurposes": [{"name": "P"}]})", "/ketchConsentPurposes/0",
     "must be an object with a \"purpose\" string"},
    {"gcm_not_list", R"({"consentManagement": {"provider": "oneTrust"}})", "/consentManagement",
     "must be a list of {\"provider\", \"resolutionStrategy\", \"consents\"} objects"},
    {"gcm_strategy", R"({"consentManagement": [{"provider": "custom", "resolutionStrategy": "xor", "consents": [{"consent": "A"}]}]})",
     "/consentManagement/0/resolutionStrategy", "must be \"and\" or \"or\""},
    {"gcm_consent", R"({"consentManagement": [{"provider": "custom", "consents": [{"consent": 1}]}]})",
     "/consentManagement/0/consents/0/consent", "must be a string"},
    {"gcm_provider", R"({"consentManagement": [{"provider": 1, "consents": []}]})", "/consentManagement/0/provider",
     "must be a string"},
};

class FilterSettingProblems : public ::testing::TestWithParam<ProblemCase> {};

TEST_P(FilterSettingProblems, NameTheSettingAndWhatIsWrong) {
    const ProblemCase &c = GetParam();
    const FilterSettings read = read_filter_settings(json::parse(c.settings));
    ASSERT_EQ(read.problems.size(), 1u);
    EXPECT_EQ(read.problems[0].pointer, c.pointer);
    EXPECT_EQ(read.problems[0].what, c.what);
}

INSTANTIATE_TEST_SUITE_P(Shapes, FilterSettingProblems, ::testing::ValuesIn(kProblems),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(FilterSettings, ThePluginGetsTheSettingsWithoutTheHostKeys) {
    json settings = {{"apiKey", "k"}, {"eventFilteringOption", "disable"}, {"whitelistedEvents", json::array()},
                     {"blacklistedEvents", json::array()}, {"oneTrustCookieCategories", json::array()},
                     {"ketchConsentPurposes", json::array()}, {"consentManagement", json::array()}};
    EXPECT_EQ(without_host_settings(settings), (json{{"apiKey", "k"}}));
}

}  // namespace
}  // namespace switchyard::filtering

namespace switchyard {
namespace {

TEST(DestinationFilter, AProblemNamesTheFileLineAndSetting) {
    DestinationConfig d;
    d.workspace = "acme";
    d.id = "it";
    d.settings_json = R"({"apiKey": "k", "blacklistedEvents": [{"eventName": "A"}, {"eventName": 3}]})";
    d.origin = {"config/acme.yaml", 9};
    d.settings_lines = {{"", 11}, {"/blacklistedEvents", 13}, {"/blacklistedEvents/1", 15}};
    const DestinationFilter read = read_destination_filter(d);
    ASSERT_EQ(read.problems.size(), 1u);
    EXPECT_EQ(read.problems[0], "config/acme.yaml:15: destination \"it\": settings.blacklistedEvents[1].eventName: must be a string");
}

}  // namespace
}  // namespace switchyard
