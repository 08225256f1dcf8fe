// Logs: one logfmt line each, and known secrets never appear.
#include <gtest/gtest.h>

#include "host/log/log.h"

namespace switchyard {
namespace {

TEST(Log, RedactsEveryRegisteredSecret) {
    log::add_secret("sk_live_0123456789");
    EXPECT_EQ(log::redact("key sk_live_0123456789 and again sk_live_0123456789"), "key [redacted] and again [redacted]");
}

TEST(Log, ShortValuesAreNotTreatedAsSecrets) {
    log::add_secret("abc");
    EXPECT_EQ(log::redact("abc abc"), "abc abc");
}

TEST(Log, WritesOneRedactedLogfmtLine) {
    log::add_secret("write-key-secret-1");
    ::testing::internal::CaptureStderr();
    log::info("ingest", "unknown write key write-key-secret-1\nsecond line");
    const std::string line = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(line.find("write-key-secret-1"), std::string::npos) << line;
    EXPECT_NE(line.find("level=info component=\"ingest\" msg=\"unknown write key [redacted]\\nsecond line\""),
              std::string::npos)
        << line;
    EXPECT_EQ(line.find('\n'), line.size() - 1);  // exactly one line
}

}  // namespace
}  // namespace switchyard
