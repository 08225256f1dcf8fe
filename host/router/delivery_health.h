// What one destination's deliveries went through lately: the last error (for /admin/status),
// and rate-limited log lines when events are retried, throttled or dead-lettered, and once when
// deliveries recover. Kept by the router across the destination's runners. Thread-safe.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "host/router/trouble_limiter.h"

namespace switchyard {

// How the events of one settled batch fared.
struct SettledBatch {
    uint64_t delivered = 0;
    std::array<uint64_t, kTroubleKinds> troubles{};  // events per Trouble
    std::array<std::string, kTroubleKinds> reasons;  // a reason per Trouble that occurred
};

struct LastError {
    std::string reason;  // redacted
    int64_t at_ms = 0;   // Unix milliseconds
};

class DeliveryHealth {
   public:
    using Clock = std::function<TroubleLimiter::TimePoint()>;
    explicit DeliveryHealth(std::string destination, Clock clock = std::chrono::steady_clock::now);

    void record(const SettledBatch &batch, int64_t now_ms);
    std::optional<LastError> last_error() const;

   private:
    void log_report(const TroubleReport &report) const;

    const std::string destination_;
    const Clock clock_;
    mutable std::mutex mutex_;
    TroubleLimiter limiter_;
    std::optional<LastError> last_error_;
};

}  // namespace switchyard
