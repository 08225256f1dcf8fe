// One test per mapping rule, on the pure builder (event, settings) → body.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "event_view.h"
#include "transform.h"

namespace iterable {
namespace {

using nlohmann::json;

Settings settings_from(const std::string &json_text = R"({"apiKey":"k","trackAllPages":true,"mapToSingleEvent":false})") {
    SettingsParse p = parse_settings(json_text);
    EXPECT_TRUE(p.ok) << p.error;
    return p.settings;
}

BuiltEvent build(const json &event, const Settings &settings = settings_from()) {
    BuiltEvent out;
    simdjson::dom::parser parser;
    transform_event(parser, event.dump(), settings, Mode::kProcessor, out);
    return out;
}

json body(const json &event, const Settings &settings = settings_from()) {
    BuiltEvent out = build(event, settings);
    EXPECT_TRUE(out.ok) << out.error.message;
    return out.ok ? json::parse(out.body) : json();
}

std::string error(const json &event, const Settings &settings = settings_from()) {
    BuiltEvent out = build(event, settings);
    EXPECT_FALSE(out.ok);
    return out.error.message;
}

TEST(IterableLookup, PrecedenceSkipsEmptyAndNullButKeepsZeroFalseAndEmptyObjects) {
    simdjson::dom::parser parser;
    const std::string text = R"({"a":"","b":null,"c":0,"d":false,"e":{},"f":"x"})";
    simdjson::dom::element root = parser.parse(text);
    EventView view(root);
    std::string_view all[] = {"missing", "a", "b", "c", "f"};
    EXPECT_EQ(js_string(view.first_present(all)), "0");
    std::string_view obj[] = {"a", "e", "f"};
    EXPECT_EQ(js_string(view.first_present(obj)), "[object Object]");
    EXPECT_FALSE(truthy(*view.at("c").element));
    EXPECT_TRUE(truthy(*view.at("e").element));
    EXPECT_TRUE(present(*view.at("d").element));
}

TEST(IterableMapping, UserIdFallsBackThroughTraitsToAnonymousId) {
    EXPECT_EQ(body({{"type", "track"}, {"anonymousId", "anon"}})["userId"], "anon");
    EXPECT_EQ(body({{"type", "track"}, {"anonymousId", "anon"}, {"traits", {{"id", 7}}}})["userId"], 7);
    EXPECT_EQ(body({{"type", "track"}, {"userId", ""}, {"context", {{"traits", {{"userId", "ctx"}}}}}})["userId"], "ctx");
}

TEST(IterableMapping, CreatedAtIsJavaScriptDateOfTheFirstPresentSource) {
    json e = {{"type", "track"}, {"userId", "u"}, {"timestamp", "2020-08-28T16:26:06.468Z"}};
    EXPECT_EQ(body(e)["createdAt"], 1598631966468);
    e["context"] = {{"traits", {{"createdAt", "2020-01-01"}}}};
    EXPECT_EQ(body(e)["createdAt"], 1577836800000);
    e["traits"] = {{"createdAt", 1234}};
    EXPECT_EQ(body(e)["createdAt"], 1234);
    EXPECT_TRUE(body({{"type", "track"}, {"userId", "u"}})["createdAt"].is_null());
    EXPECT_TRUE(body({{"type", "track"}, {"userId", "u"}, {"timestamp", "not a date"}})["createdAt"].is_null());
}

TEST(IterableMapping, SourcesChannelTrackUsesPropertiesTimestamp) {
    json e = {{"type", "track"}, {"userId", "u"}, {"channel", "sources"}, {"timestamp", "2020-01-01"},
              {"properties", {{"timestamp", "2021-01-01"}}}};
    EXPECT_EQ(body(e)["createdAt"], 1609459200000);
}

TEST(IterableMapping, CampaignAndTemplateIdsAreParseIntWhenTruthy) {
    json b = body({{"type", "track"}, {"userId", "u"}, {"properties", {{"campaignId", "123abc"}, {"templateId", "0"}}}});
    EXPECT_EQ(b["campaignId"], 123);
    EXPECT_EQ(b["templateId"], 0);
    b = body({{"type", "track"}, {"userId", "u"}, {"properties", {{"campaignId", 0}, {"templateId", "abc"}}}});
    EXPECT_FALSE(b.contains("campaignId"));
    EXPECT_TRUE(b["templateId"].is_null());
}

TEST(IterableMapping, IdsAreStringifiedAsJavaScriptDoes) {
    auto id_of = [](const json &v) { return body({{"type", "track"}, {"userId", "u"}, {"properties", {{"event_id", v}}}})["id"]; };
    EXPECT_EQ(id_of(10000), "10000");
    EXPECT_EQ(id_of(1.5), "1.5");
    EXPECT_EQ(id_of(1e21), "1e+21");
    EXPECT_EQ(id_of(true), "true");
    EXPECT_EQ(id_of(json::array({1, 2})), "1,2");
}

TEST(IterableMapping, PageGateAndNames) {
    json page = {{"type", "page"}, {"userId", "u"}, {"name", "Home"}, {"properties", {{"category", "c"}}}};
    const char *no_page_flag = R"({"trackAllPages":false,"trackCategorisedPages":false,"trackNamedPages":false})";
    EXPECT_EQ(error(page, settings_from(no_page_flag)), "Invalid page call");
    EXPECT_EQ(body(page, settings_from("{}"))["eventName"], "Loaded a Page");  // the dashboard's defaults
    EXPECT_EQ(body(page, settings_from(R"({"mapToSingleEvent":false})"))["eventName"], "Home page");
    EXPECT_EQ(body(page, settings_from(R"({"trackNamedPages":false})"))["eventName"], "Loaded a Page");  // categorised
    json screen = {{"type", "Screen"}, {"userId", "u"}};
    EXPECT_EQ(body(screen)["eventName"], "undefined screen");
    EXPECT_EQ(error(screen, settings_from("{}")), "Invalid screen call");  // neither name nor category
}

TEST(IterableMapping, CommerceItemsConvertPriceQuantityAndCategories) {
    json e = {{"type", "track"}, {"userId", "u"}, {"event", "Order Completed"},
              {"properties", {{"total", "10.5"}, {"order_id", 77},
                              {"products", {{{"product_id", 1}, {"name", "n"}, {"price", "2.50"}, {"quantity", "3"},
                                             {"category", "a, b"}, {"brand", "dropped"}}}}}}};
    json b = body(e);
    EXPECT_EQ(b["total"], 10.5);
    EXPECT_EQ(b["id"], "77");
    EXPECT_EQ(b["items"], json::parse(R"([{"id":1,"name":"n","price":2.5,"quantity":3,"categories":["a"," b"]}])"));
    EXPECT_EQ(b["user"]["userId"], "u");
}

TEST(IterableMapping, ErrorCatalogue) {
    EXPECT_EQ(error({{"userId", "u"}}), "Event type is required");
    EXPECT_EQ(error({{"type", "Group"}, {"userId", "u"}}), "Message type group not supported");
    EXPECT_EQ(error({{"type", "identify"}}), "userId or email is mandatory for this request");
    EXPECT_EQ(error({{"type", "alias"}, {"userId", "u"}}), R"(Missing required value from "previousId")");
    EXPECT_EQ(error({{"type", "alias"}, {"previousId", "p"}}), R"(Missing required value from "userId")");
    json purchase = {{"type", "track"}, {"event", "order completed"}, {"properties", {{"name", "n"}}}};
    EXPECT_EQ(error(purchase), R"(Missing required value from "properties.total")");
    purchase["properties"]["total"] = 1;
    EXPECT_EQ(error(purchase), "userId or email is mandatory for this request");
    purchase["userId"] = "u";
    EXPECT_EQ(error(purchase), R"(Missing required value from "product_id")");
    EXPECT_EQ(error(json::array()), "Event must be a JSON object");
}

TEST(IterableMapping, IntegersBeyond64BitsAreReadAsJavaScriptDoubles) {
    BuiltEvent out;
    simdjson::dom::parser parser;
    transform_event(parser, R"({"type":"track","userId":"u","properties":{"big":123456789012345678901234,"s":"99999999999999999999999","e":1e400}})",
                    settings_from(), Mode::kProcessor, out);
    EXPECT_FALSE(out.ok);  // 1e400 is out of range for simdjson and JSON.parse alike -> Infinity; refused here
    transform_event(parser, R"({"type":"track","userId":"u","properties":{"big":123456789012345678901234,"s":"99999999999999999999999"}})",
                    settings_from(), Mode::kProcessor, out);
    ASSERT_TRUE(out.ok) << out.error.message;
    json data = json::parse(out.body)["dataFields"];
    EXPECT_EQ(data["big"].get<double>(), 1.2345678901234568e23);
    EXPECT_EQ(data["s"], "99999999999999999999999");
}

TEST(IterableMapping, ReverseEtlUsersAddTheIdentifierTrait) {
    json e = {{"type", "identify"}, {"userId", "u"}, {"traits", {{"plan", "pro"}}},
              {"context", {{"mappedToDestination", "true"},
                           {"externalId", {{{"id", "a@b.c"}, {"type", "ITERABLE-users"}, {"identifierType", "email"}}}}}}};
    json b = body(e);
    EXPECT_EQ(b["email"], "a@b.c");
    EXPECT_EQ(b["dataFields"], json({{"plan", "pro"}, {"email", "a@b.c"}}));
}

TEST(IterableMapping, CatalogUrlIsPercentEncoded) {
    json e = {{"type", "identify"}, {"traits", {{"a", 1}}},
              {"context", {{"mappedToDestination", true}, {"externalId", {{{"id", "x"}, {"type", "ITERABLE-a/b?c"}}}}}}};
    BuiltEvent out = build(e);
    ASSERT_TRUE(out.ok) << out.error.message;
    EXPECT_EQ(out.url, "https://api.iterable.com/api/catalogs/a%2Fb%3Fc/items");
    EXPECT_EQ(json::parse(out.body), json({{"update", {{"a", 1}}}, {"catalogId", "x"}}));
}

}  // namespace
}  // namespace iterable
