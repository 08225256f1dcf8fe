// Pacing requests under a destination's rate limits (the host owns pacing; the plugin only
// declares its limits). Adaptive: a 429 halves the rate and pauses the key; successes
// restore it step by step.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "switchyard/plugin.h"

namespace switchyard {

class Pacer {
   public:
    using Clock = std::chrono::steady_clock;

    explicit Pacer(std::span<const sy_rate_limit> limits);

    // Reserves a slot for one request with this rate key and returns when it may be sent.
    // Keys without a declared limit may always go now.
    Clock::time_point reserve(std::string_view rate_key, Clock::time_point now = Clock::now());

    // Feedback from a send: a 429 slows the key down; a success speeds it back up.
    void on_throttled(std::string_view rate_key, std::chrono::milliseconds retry_after,
                      Clock::time_point now = Clock::now());
    void on_success(std::string_view rate_key);

    // The part of the destination's limits this host may use, in (0, 1]: with several hosts on
    // one store, the part of the users it delivers for (Store::partition_share), so that together
    // they stay under the limits. 1 by default.
    void set_share(double share);

    // The rate currently allowed for the key (requests per second); 0 when unlimited.
    double current_rate(std::string_view rate_key) const;

    // When the key reserved last could go next, reserving nothing: `now` when no limited key was
    // reserved yet. A destination at its rate ceiling waits for it before claiming more.
    Clock::time_point next_slot_of_last_key(Clock::time_point now = Clock::now()) const;

   private:
    struct Bucket {
        double configured_rate;
        double rate;
        double burst;
        Clock::time_point theoretical_arrival;
        Clock::time_point paused_until;
    };
    Bucket *find(std::string_view rate_key);
    double rate_of(const Bucket &bucket) const { return std::min(bucket.rate, bucket.configured_rate * share_); }
    Clock::time_point allowed(const Bucket &bucket, Clock::time_point now) const;

    mutable std::mutex mutex_;
    std::map<std::string, Bucket, std::less<>> buckets_;
    const Bucket *last_reserved_ = nullptr;  // a node of buckets_: stable
    double share_ = 1.0;
};

}  // namespace switchyard
