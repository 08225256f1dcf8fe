// Retry decisions for failed deliveries.
#include "host/router/retry_policy.h"

#include <algorithm>

namespace switchyard {

std::string failure_reason(const EventOutcome &outcome) {
    const std::string kind(outcome_name(outcome.outcome));
    return outcome.status != 0 ? kind + " (status " + std::to_string(outcome.status) + "): " + outcome.message
                               : kind + ": " + outcome.message;
}

JobSettlement retry_or_dead_letter(const Job &job, const EventOutcome &outcome, const DeliveryPolicy &policy,
                                   int64_t now_ms, std::mt19937_64 &random) {
    const int64_t first_failure = job.first_failure_ms != 0 ? job.first_failure_ms : now_ms;
    if (now_ms - first_failure >= policy.retry_window.count())
        return {job.id, Settlement::dead, 0,
                "gave up after the retry window of " + std::to_string(policy.retry_window.count() / 1000) + " s (" +
                    std::to_string(job.attempts + 1) + " attempts); last error: " + failure_reason(outcome)};
    if (policy.max_attempts != 0 && job.attempts + 1 >= policy.max_attempts)
        return {job.id, Settlement::dead, 0,
                "gave up after " + std::to_string(job.attempts + 1) + " attempts; last error: " + failure_reason(outcome)};
    int64_t wait = policy.backoff_base.count();
    if (outcome.outcome == SY_RETRY) {
        const int doublings = static_cast<int>(std::min<uint32_t>(job.attempts, 30));
        const int64_t ceiling = std::min<int64_t>(policy.backoff_cap.count(), policy.backoff_base.count() << std::min(doublings, 20));
        wait = std::uniform_int_distribution<int64_t>(0, ceiling)(random);  // full jitter
    }
    wait = std::max<int64_t>(wait, outcome.retry_after_ms);
    return {job.id, Settlement::retry, now_ms + wait, failure_reason(outcome)};
}

}  // namespace switchyard
