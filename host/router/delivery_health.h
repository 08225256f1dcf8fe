// What one destination's deliveries went through lately: the last error and whether an instance
// is degraded (for /admin/status), and rate-limited log lines when events are retried, throttled
// or dead-lettered, and once when deliveries recover. Kept by the router across the destination's
// runners. Thread-safe.
#pragma once

#include <array>
#include <functional>
#include <memory>
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

class Destination;

// An instance with worker threads stuck in its calls (hung_calls.h): degraded until a reload
// replaces it.
struct Degradation {
    std::string why;  // one sentence
    std::weak_ptr<const Destination> instance;
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
    void degrade(std::string why, const std::shared_ptr<const Destination> &instance);
    std::optional<Degradation> degradation() const;

   private:
    void log_report(const TroubleReport &report) const;

    const std::string destination_;
    const Clock clock_;
    mutable std::mutex mutex_;
    TroubleLimiter limiter_;
    std::optional<LastError> last_error_;
    std::optional<Degradation> degradation_;
};

}  // namespace switchyard
