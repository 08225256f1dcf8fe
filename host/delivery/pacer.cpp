// GCRA-style pacing with additive-increase / multiplicative-decrease on 429s.
#include "host/delivery/pacer.h"

#include <algorithm>

namespace switchyard {
namespace {

constexpr double kThrottleFactor = 0.5;       // a 429 halves the rate...
constexpr double kMinRateShare = 0.01;        // ...but never below 1% of the declared limit
constexpr double kRecoveryShare = 0.02;       // each success restores 2% of the declared limit
constexpr double kHeadroom = 0.9;             // aim under the limit: clocks and queues jitter
constexpr auto kDefaultPause = std::chrono::seconds(1);  // a 429 without Retry-After

Pacer::Clock::duration interval_of(double rate) {
    return std::chrono::duration_cast<Pacer::Clock::duration>(std::chrono::duration<double>(1.0 / rate));
}

}  // namespace

Pacer::Pacer(std::span<const sy_rate_limit> limits) {
    for (const sy_rate_limit &limit : limits) {
        if (limit.requests_per_second <= 0) continue;
        const double burst = std::max<double>(1, limit.burst);
        buckets_.emplace(std::string(limit.rate_key.ptr, limit.rate_key.len),
                         Bucket{limit.requests_per_second * kHeadroom, limit.requests_per_second * kHeadroom, burst,
                                {}, {}});
    }
}

Pacer::Bucket *Pacer::find(std::string_view rate_key) {
    auto it = buckets_.find(rate_key);
    return it == buckets_.end() ? nullptr : &it->second;
}

// Up to `burst` requests may go before the theoretical arrival time.
Pacer::Clock::time_point Pacer::allowed(const Bucket &b, Clock::time_point now) const {
    const Clock::time_point start = std::max(now, b.paused_until);
    const auto early = std::chrono::duration_cast<Clock::duration>(interval_of(rate_of(b)) * (b.burst - 1));
    return std::max(start, std::max(b.theoretical_arrival, start) - early);
}

Pacer::Clock::time_point Pacer::reserve(std::string_view rate_key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Bucket *b = find(rate_key);
    if (b == nullptr) return now;
    const Clock::time_point slot = allowed(*b, now);
    b->theoretical_arrival = std::max(b->theoretical_arrival, std::max(now, b->paused_until)) + interval_of(rate_of(*b));
    last_reserved_ = b;
    return slot;
}

Pacer::Clock::time_point Pacer::next_slot_of_last_key(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return last_reserved_ == nullptr ? now : allowed(*last_reserved_, now);
}

void Pacer::on_throttled(std::string_view rate_key, std::chrono::milliseconds retry_after, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Bucket *b = find(rate_key);
    if (b == nullptr) return;
    // 429s that arrive while paused answer requests sent before the pause: one slowdown per episode.
    if (now >= b->paused_until) b->rate = std::max(b->rate * kThrottleFactor, b->configured_rate * kMinRateShare);
    const auto pause = retry_after.count() > 0 ? Clock::duration(retry_after) : Clock::duration(kDefaultPause);
    b->paused_until = std::max(b->paused_until, now + pause);
}

void Pacer::on_success(std::string_view rate_key) {
    std::lock_guard lock(mutex_);
    if (Bucket *b = find(rate_key)) b->rate = std::min(b->configured_rate, b->rate + b->configured_rate * kRecoveryShare);
}

void Pacer::set_share(double share) {
    std::lock_guard lock(mutex_);
    share_ = std::clamp(share, kMinRateShare, 1.0);
}

double Pacer::current_rate(std::string_view rate_key) const {
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(rate_key);
    return it == buckets_.end() ? 0 : rate_of(it->second);
}

}  // namespace switchyard
