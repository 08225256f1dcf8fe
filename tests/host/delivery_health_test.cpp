// A destination's delivery health: the log lines an operator sees (worded, counted, redacted),
// and the last error for /admin/status.
#include <gtest/gtest.h>

#include "host/log/log.h"
#include "host/router/delivery_health.h"

namespace switchyard {
namespace {

using std::chrono::seconds;

class DeliveryHealthTest : public ::testing::Test {
   protected:
    SettledBatch failed(Trouble kind, uint64_t count, const std::string &reason) {
        SettledBatch batch;
        batch.troubles.at(static_cast<size_t>(kind)) = count;
        batch.reasons.at(static_cast<size_t>(kind)) = reason;
        return batch;
    }
    std::string logged(const SettledBatch &batch) {
        ::testing::internal::CaptureStderr();
        health.record(batch, 1'700'000'000'123);
        return ::testing::internal::GetCapturedStderr();
    }

    TroubleLimiter::TimePoint now{seconds(500)};
    DeliveryHealth health{"acme/iterable", [this] { return now; }};
};

TEST_F(DeliveryHealthTest, FailuresAreLoggedOncePerIntervalWithTheirCount) {
    EXPECT_NE(logged(failed(Trouble::retried, 1, "retry (status 503): down")).find(
                  "level=warn component=\"router:acme/iterable\" msg=\"Deliveries failing: 1 event retried; last: retry "
                  "(status 503): down\" trouble=\"retried\" count=\"1\""),
              std::string::npos);
    now += seconds(4);
    EXPECT_EQ(logged(failed(Trouble::retried, 30, "retry (status 503): down")), "");
    now += seconds(6);
    EXPECT_NE(logged(failed(Trouble::retried, 6, "retry (status 502): bad gateway"))
                  .find("msg=\"Deliveries failing: 36 events retried in the last 10s; last: retry (status 502): bad gateway\""),
              std::string::npos);
}

TEST_F(DeliveryHealthTest, ThrottlingAndDeadLettersHaveTheirOwnLines) {
    SettledBatch batch = failed(Trouble::throttled, 2, "throttled (status 429): slow down");
    batch.troubles.at(static_cast<size_t>(Trouble::dead_lettered)) = 1;
    batch.reasons.at(static_cast<size_t>(Trouble::dead_lettered)) = "abort (status 400): invalid email";
    const std::string lines = logged(batch);
    EXPECT_NE(lines.find("level=warn component=\"router:acme/iterable\" msg=\"Deliveries throttled: 2 events held back "
                         "by the destination's rate limit (429); last: throttled (status 429): slow down\""),
              std::string::npos)
        << lines;
    EXPECT_NE(lines.find("level=error component=\"router:acme/iterable\" msg=\"Deliveries dead-lettered: 1 event moved "
                         "to the dead letters; last: abort (status 400): invalid email\""),
              std::string::npos)
        << lines;
}

TEST_F(DeliveryHealthTest, RecoveryIsLoggedOnceWhenABatchDeliversWithoutFailures) {
    logged(failed(Trouble::retried, 1, "retry: connection refused"));
    SettledBatch mixed = failed(Trouble::retried, 1, "retry: connection refused");
    mixed.delivered = 3;
    EXPECT_EQ(logged(mixed), "");  // some still fail: not recovered
    SettledBatch clean;
    clean.delivered = 5;
    EXPECT_NE(logged(clean).find("level=info component=\"router:acme/iterable\" msg=\"Deliveries recovered"),
              std::string::npos);
    EXPECT_EQ(logged(clean), "");
}

TEST_F(DeliveryHealthTest, TheLastErrorIsKeptRedactedWithItsTime) {
    EXPECT_FALSE(health.last_error());
    log::add_secret("iterable-key-0042");
    const std::string lines = logged(failed(Trouble::retried, 1, "abort (status 401): bad key iterable-key-0042"));
    EXPECT_EQ(lines.find("iterable-key-0042"), std::string::npos) << lines;
    const auto error = health.last_error();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->reason, "abort (status 401): bad key [redacted]");
    EXPECT_EQ(error->at_ms, 1'700'000'000'123);
}

}  // namespace
}  // namespace switchyard
