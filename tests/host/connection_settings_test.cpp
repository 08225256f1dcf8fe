// A source's override merged into its destination's settings: shallow, key by key, with the
// line of every setting where the operator wrote it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/routing/connection_settings.h"

namespace switchyard {
namespace {

DestinationConfig destination() {
    DestinationConfig d;
    d.workspace = "acme";
    d.id = "iterable";
    d.plugin = "iterable";
    d.settings_json = R"({"apiKey":"k","blacklistedEvents":[{"eventName":"A"},{"eventName":"B"}],"trackAllPages":true})";
    d.origin = {"acme.yaml", 20};
    d.settings_lines = {{"", 23}, {"/apiKey", 24}, {"/blacklistedEvents", 25}, {"/blacklistedEvents/1/eventName", 27},
                        {"/trackAllPages", 28}};
    return d;
}

ConnectionOverride override_of(std::string json, std::map<std::string, int> lines) {
    return {std::move(json), std::move(lines), {"acme.yaml", 7}};
}

TEST(ConnectionSettings, TheOverridesTopLevelKeysReplaceTheDestinationsWhole) {
    const DestinationConfig merged = merge_connection_settings(
        destination(), "app",
        override_of(R"({"blacklistedEvents":[{"eventName":"C"}],"trackAllPages":false,"mapToSingleEvent":true})",
                    {{"", 9}, {"/blacklistedEvents", 10}, {"/trackAllPages", 11}, {"/mapToSingleEvent", 12}}));
    EXPECT_EQ(nlohmann::json::parse(merged.settings_json),
              nlohmann::json::parse(R"({"apiKey":"k","blacklistedEvents":[{"eventName":"C"}],"trackAllPages":false,
                                        "mapToSingleEvent":true})"));
    EXPECT_EQ(merged.source, "app");
    EXPECT_EQ(merged.key(), "acme/iterable");
    EXPECT_EQ(merged.origin.line, 7);
}

TEST(ConnectionSettings, EachSettingKeepsTheLineWhereItWasWritten) {
    const DestinationConfig merged = merge_connection_settings(
        destination(), "app", override_of(R"({"blacklistedEvents":[]})", {{"", 9}, {"/blacklistedEvents", 10}}));
    const std::map<std::string, int> expected = {
        {"", 9}, {"/apiKey", 24}, {"/blacklistedEvents", 10}, {"/trackAllPages", 28}};  // no stale "/blacklistedEvents/1/…"
    EXPECT_EQ(merged.settings_lines, expected);
}

TEST(ConnectionSettings, ProblemsNameTheSourceOfAConnectionsSettings) {
    EXPECT_EQ(settings_owner(destination()), "destination \"iterable\"");
    EXPECT_EQ(settings_owner(merge_connection_settings(destination(), "app", override_of("{}", {{"", 9}}))),
              "destination \"iterable\" (source \"app\")");
}

}  // namespace
}  // namespace switchyard
