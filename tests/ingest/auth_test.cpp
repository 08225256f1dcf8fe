// Write keys: Basic header decoding, constant-time equality semantics, source lookup.
#include "host/ingest/auth.h"

#include <gtest/gtest.h>

namespace switchyard::ingest {
namespace {

TEST(ConstantTimeEquals, EqualOnlyForIdenticalBytes) {
    EXPECT_TRUE(constant_time_equals("2Xy9secretKey", "2Xy9secretKey"));
    EXPECT_TRUE(constant_time_equals("", ""));
    EXPECT_FALSE(constant_time_equals("2Xy9secretKez", "2Xy9secretKey"));  // last byte
    EXPECT_FALSE(constant_time_equals("3Xy9secretKey", "2Xy9secretKey"));  // first byte
    EXPECT_FALSE(constant_time_equals("2Xy9secret", "2Xy9secretKey"));     // prefix
    EXPECT_FALSE(constant_time_equals("2Xy9secretKeyX", "2Xy9secretKey"));  // longer
    EXPECT_FALSE(constant_time_equals("", "2Xy9secretKey"));
    EXPECT_FALSE(constant_time_equals("a", ""));
    EXPECT_FALSE(constant_time_equals(std::string_view("ab\0", 3), "ab"));  // a NUL is a byte like any other
}

TEST(BasicAuthUser, DecodesTheUserName) {
    EXPECT_EQ(basic_auth_user("Basic d3JpdGVLZXkxOg=="), "writeKey1");  // "writeKey1:"
    EXPECT_EQ(basic_auth_user("basic d3JpdGVLZXkxOg"), "writeKey1");    // scheme case, no padding
    EXPECT_EQ(basic_auth_user("Basic d3JpdGVLZXkxOnB3"), "writeKey1");  // "writeKey1:pw": password ignored
    EXPECT_EQ(basic_auth_user("Basic d3JpdGVLZXkx"), "writeKey1");      // no colon at all
}

TEST(BasicAuthUser, RefusesOtherSchemesAndBadBase64) {
    EXPECT_FALSE(basic_auth_user("").has_value());
    EXPECT_FALSE(basic_auth_user("Bearer d3JpdGVLZXkxOg==").has_value());
    EXPECT_FALSE(basic_auth_user("Basic not*base64").has_value());
}

TEST(FindSource, MatchesTheConfiguredKeyOnly) {
    const SourceTable sources = {{"key-ios", "acme", "ios", {"acme/iterable"}},
                                 {"key-web", "acme", "web", {}},
                                 {"", "acme", "keyless", {}}};
    ASSERT_NE(find_source(sources, "key-web"), nullptr);
    EXPECT_EQ(find_source(sources, "key-web")->source_id, "web");
    EXPECT_EQ(find_source(sources, "key-ios")->source_id, "ios");
    EXPECT_EQ(find_source(sources, "key-iOS"), nullptr);
    EXPECT_EQ(find_source(sources, "key"), nullptr);
    EXPECT_EQ(find_source(sources, ""), nullptr);  // an unset key in the config never opens a source
    EXPECT_EQ(find_source({}, "key-ios"), nullptr);
}

}  // namespace
}  // namespace switchyard::ingest
