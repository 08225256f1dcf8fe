// Logs: one logfmt or JSON line each, levels, and known secrets never appear in either format.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "host/log/log.h"

namespace switchyard {
namespace {

TEST(Log, RedactsEveryRegisteredSecret) {
    log::add_secret("sk_live_0123456789");
    EXPECT_EQ(log::redact("key sk_live_0123456789 and again sk_live_0123456789"), "key [redacted] and again [redacted]");
}

TEST(Log, ASecretContainingAnotherIsRedactedWhole) {
    log::add_secret("nested-key");
    log::add_secret("nested-key-with-more");
    log::add_secret("nested-key");  // registered again by the next config load
    EXPECT_EQ(log::redact("nested-key-with-more nested-key"), "[redacted] [redacted]");
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

// Puts the process-wide level and format back after each test.
class LogSettings : public ::testing::Test {
   protected:
    ~LogSettings() override {
        log::set_format(log::Format::logfmt);
        log::set_min_level(log::Level::info);
    }
    static std::string written(log::Level level, std::string_view message, std::span<const log::Field> fields = {}) {
        ::testing::internal::CaptureStderr();
        log::write(level, "router:acme/iterable", message, fields);
        return ::testing::internal::GetCapturedStderr();
    }
};

TEST_F(LogSettings, JsonLinesAreOneObjectEachWithTheFields) {
    log::set_format(log::Format::json);
    const log::Field fields[] = {{"trouble", "retried"}, {"count", "37"}};
    const std::string line = written(log::Level::warn, "Deliveries failing:\n\"37\"", fields);
    ASSERT_EQ(line.find('\n'), line.size() - 1) << line;
    const auto object = nlohmann::json::parse(line);
    EXPECT_EQ(object["level"], "warn");
    EXPECT_EQ(object["component"], "router:acme/iterable");
    EXPECT_EQ(object["msg"], "Deliveries failing:\n\"37\"");
    EXPECT_EQ(object["trouble"], "retried");
    EXPECT_EQ(object["count"], "37");
    EXPECT_EQ(object["ts"].get<std::string>().size(), std::string_view("2023-11-14T22:13:20.123Z").size());
}

TEST_F(LogSettings, LogfmtLinesCarryTheFieldsAfterTheMessage) {
    const log::Field fields[] = {{"trouble", "throttled"}};
    const std::string line = written(log::Level::warn, "Deliveries throttled", fields);
    EXPECT_NE(line.find(" level=warn component=\"router:acme/iterable\" msg=\"Deliveries throttled\" trouble=\"throttled\"\n"),
              std::string::npos)
        << line;
}

// Secrets in the message, in a field, and one holding a quote (which escaping would change).
TEST_F(LogSettings, ARegisteredSecretAppearsInNeitherFormat) {
    log::add_secret("sk-\"quoted\"-secret");
    log::add_secret("api-key-in-a-field");
    const log::Field fields[] = {{"reason", "HTTP 401 for key api-key-in-a-field"}};
    for (const log::Format format : {log::Format::logfmt, log::Format::json}) {
        log::set_format(format);
        const std::string line = written(log::Level::error, "sent sk-\"quoted\"-secret", fields);
        EXPECT_EQ(line.find("quoted"), std::string::npos) << line;
        EXPECT_EQ(line.find("api-key-in-a-field"), std::string::npos) << line;
        EXPECT_EQ(line.find("api-key"), std::string::npos) << line;
        EXPECT_NE(line.find("[redacted]"), std::string::npos) << line;
    }
}

TEST_F(LogSettings, LinesBelowTheLevelAreDropped) {
    log::set_min_level(log::Level::warn);
    EXPECT_EQ(written(log::Level::info, "quiet"), "");
    EXPECT_NE(written(log::Level::warn, "loud"), "");
    log::set_min_level(log::Level::debug);
    EXPECT_NE(written(log::Level::debug, "details"), "");
}

TEST(LogNames, FlagTextNamesLevelsAndFormats) {
    EXPECT_EQ(log::level_named("debug"), log::Level::debug);
    EXPECT_EQ(log::level_named("error"), log::Level::error);
    EXPECT_FALSE(log::level_named("INFO"));
    EXPECT_FALSE(log::level_named("warning"));
    EXPECT_EQ(log::format_named("json"), log::Format::json);
    EXPECT_EQ(log::format_named("logfmt"), log::Format::logfmt);
    EXPECT_FALSE(log::format_named("text"));
}

}  // namespace
}  // namespace switchyard
