// Numbers come out as Number.prototype.toString() writes them.
#include <cmath>

#include <gtest/gtest.h>

#include "switchyard/sdk/js_number.h"

namespace sy::sdk {
namespace {

TEST(JsNumberToString, MatchesNumberPrototypeToString) {
    EXPECT_EQ(js_number_to_string(10000), "10000");
    EXPECT_EQ(js_number_to_string(1.5), "1.5");
    EXPECT_EQ(js_number_to_string(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(js_number_to_string(1e21), "1e+21");
    EXPECT_EQ(js_number_to_string(1e20), "100000000000000000000");
    EXPECT_EQ(js_number_to_string(1e-7), "1e-7");
    EXPECT_EQ(js_number_to_string(0.000001), "0.000001");
    EXPECT_EQ(js_number_to_string(-0.0), "0");
    EXPECT_EQ(js_number_to_string(-12.5), "-12.5");
    EXPECT_EQ(js_number_to_string(1.2345e-10), "1.2345e-10");
    EXPECT_EQ(js_number_to_string(12345678901234567890.0), "12345678901234567000");
    EXPECT_EQ(js_number_to_string(NAN), "NaN");
    EXPECT_EQ(js_number_to_string(-INFINITY), "-Infinity");
}

}  // namespace
}  // namespace sy::sdk
