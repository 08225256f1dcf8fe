// ISO-8601 parsing of what SDKs send, and the host's UTC millisecond form.
#include "host/ingest/timestamp.h"

#include <gtest/gtest.h>

namespace switchyard::ingest {
namespace {

constexpr int64_t k2024_05_01_08_00_02_740 = 1714550402740;

TEST(Timestamp, ParsesUtcWithMilliseconds) {
    EXPECT_EQ(parse_iso8601_ms("2024-05-01T08:00:02.740Z"), k2024_05_01_08_00_02_740);
}

TEST(Timestamp, ParsesOffsetsFractionsAndSecondsOnly) {
    EXPECT_EQ(parse_iso8601_ms("2024-05-01T10:00:02.740+02:00"), k2024_05_01_08_00_02_740);
    EXPECT_EQ(parse_iso8601_ms("2024-05-01T03:30:02.740-0430"), k2024_05_01_08_00_02_740);
    EXPECT_EQ(parse_iso8601_ms("2024-05-01T08:00:02.740999Z"), k2024_05_01_08_00_02_740);  // truncated, not rounded
    EXPECT_EQ(parse_iso8601_ms("2024-05-01T08:00:02.7Z"), k2024_05_01_08_00_02_740 - 40);
    EXPECT_EQ(parse_iso8601_ms("2024-05-01 08:00:02Z"), k2024_05_01_08_00_02_740 - 740);
    EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00.000Z"), 0);
}

TEST(Timestamp, RefusesWhatIsNotIso8601) {
    for (const char *text : {"", "yesterday", "2024-05-01", "2024-05-01T08:00:02", "2024-05-01T08:00:02.740",
                             "2024-13-01T08:00:02Z", "2024-05-01T24:00:00Z", "2024-05-01T08:00:02Zjunk",
                             "1714550402740", "2024-05-01T08:00:02+2"})
        EXPECT_FALSE(parse_iso8601_ms(text).has_value()) << text;
}

TEST(Timestamp, FormatsUtcWithThreeFractionDigits) {
    EXPECT_EQ(format_iso8601_ms(k2024_05_01_08_00_02_740), "2024-05-01T08:00:02.740Z");
    EXPECT_EQ(format_iso8601_ms(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_iso8601_ms(-1), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(format_iso8601_ms(951782400000), "2000-02-29T00:00:00.000Z");
}

TEST(Timestamp, RoundTrips) {
    for (int64_t ms : {int64_t{0}, k2024_05_01_08_00_02_740, int64_t{4102444799999}, int64_t{-86400001}})
        EXPECT_EQ(parse_iso8601_ms(format_iso8601_ms(ms)), ms);
}

}  // namespace
}  // namespace switchyard::ingest
