// JavaScript semantics the mapping relies on, with the values Node prints for each input.
#include <gtest/gtest.h>

#include <cmath>

#include "js_semantics.h"

namespace iterable::js {
namespace {

TEST(JsDateParse, IsoForms) {
    EXPECT_EQ(date_parse("2020-08-28T16:26:06.468Z"), 1598631966468);
    EXPECT_EQ(date_parse("2020-08-28T16:26:06.468"), 1598631966468);  // local time, run as UTC
    EXPECT_EQ(date_parse("2020-08-28T18:26:06.468+02:00"), 1598631966468);
    EXPECT_EQ(date_parse("2020-08-28T16:26:06Z"), 1598631966000);
    EXPECT_EQ(date_parse("2020-08-28T16:26Z"), 1598631960000);
    EXPECT_EQ(date_parse("2020-08-28"), 1598572800000);  // date-only is UTC
    EXPECT_EQ(date_parse("2020-08"), 1596240000000);
    EXPECT_EQ(date_parse("2020"), 1577836800000);
    EXPECT_EQ(date_parse("2020-08-28 16:26:06"), 1598631966000);
    EXPECT_EQ(date_parse("2020-08-28T16:26:06.4689999Z"), 1598631966468);  // beyond ms truncated
    EXPECT_EQ(date_parse("+002020-08-28T00:00:00Z"), 1598572800000);
    EXPECT_EQ(date_parse("2020-08-28T24:00:00Z"), 1598659200000);
}

TEST(JsDateParse, InvalidIsNaN) {
    for (const char *text : {"", "abc", "2020-13-01", "2020-02-30", "2020-08-28T25:00:00Z", "2020-08-28T16:26:06+2",
                             "-000000-01-01", "2020-08-28Tx"})
        EXPECT_TRUE(std::isnan(date_parse(text))) << text;
}

TEST(JsDateParse, NumbersAreMillisecondsTimeClipped) {
    EXPECT_EQ(time_clip(1598631966468.9), 1598631966468);
    EXPECT_TRUE(std::isnan(time_clip(8.64e15 + 1)));
    EXPECT_EQ(time_clip(-0.0), 0);
}

TEST(JsParseInt, Decimal) {
    EXPECT_EQ(parse_int("123456"), 123456);
    EXPECT_EQ(parse_int("0"), 0);
    EXPECT_EQ(parse_int("  42abc"), 42);
    EXPECT_EQ(parse_int("-7.9"), -7);
    EXPECT_EQ(parse_int("+3"), 3);
    EXPECT_EQ(parse_int("1e21"), 1);
    EXPECT_TRUE(std::isnan(parse_int("abc")));
    EXPECT_TRUE(std::isnan(parse_int("")));
    EXPECT_TRUE(std::isnan(parse_int("-")));
}

TEST(JsParseFloat, DecimalLiteralPrefix) {
    EXPECT_EQ(parse_float("19.99"), 19.99);
    EXPECT_EQ(parse_float("1000"), 1000);
    EXPECT_EQ(parse_float(" 1.5e3xyz"), 1500);
    EXPECT_EQ(parse_float("5."), 5);
    EXPECT_EQ(parse_float(".5"), 0.5);
    EXPECT_EQ(parse_float("1e"), 1);
    EXPECT_EQ(parse_float("-Infinity"), -INFINITY);
    EXPECT_EQ(parse_float("0x10"), 0);
    EXPECT_TRUE(std::isnan(parse_float("abc")));
    EXPECT_TRUE(std::isnan(parse_float(".")));
}

}  // namespace
}  // namespace iterable::js
