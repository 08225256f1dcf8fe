// Rate limiting of a destination's delivery trouble log lines: at most one line per kind of
// trouble per interval, each carrying how many occurrences it stands for and the last reason,
// and one line when deliveries recover. Time is passed in, so tests drive it without sleeping.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

enum class Trouble { retried, throttled, dead_lettered };
inline constexpr size_t kTroubleKinds = 3;

struct TroubleReport {
    Trouble kind = Trouble::retried;
    uint64_t count = 0;  // occurrences since the previous report of this kind
    // Since the previous report of this kind; nullopt for the first one.
    std::optional<std::chrono::steady_clock::duration> since_previous;
    std::string last_reason;
};

// Not thread-safe: its owner serialises calls.
class TroubleLimiter {
   public:
    using TimePoint = std::chrono::steady_clock::time_point;
    explicit TroubleLimiter(std::chrono::steady_clock::duration interval = std::chrono::seconds(10))
        : interval_(interval) {}

    // Counts `count` occurrences of `kind`; returns the report to log when one is due.
    std::optional<TroubleReport> record(Trouble kind, uint64_t count, std::string_view reason, TimePoint now);

    // Deliveries succeeded: true once, for the first success after events were retried or
    // throttled. Dead letters alone do not count: a refused event says nothing of the destination.
    bool recovered();

   private:
    struct Kind {
        uint64_t unreported = 0;
        std::string last_reason;
        std::optional<TimePoint> last_report;
    };
    const std::chrono::steady_clock::duration interval_;
    std::array<Kind, kTroubleKinds> kinds_{};
    bool troubled_ = false;
};

}  // namespace switchyard
