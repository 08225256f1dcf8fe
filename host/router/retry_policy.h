// What happens to a job whose delivery failed: retry later (exponential backoff with full
// jitter, never before the server's Retry-After) or, past the retry window or the most attempts
// allowed, dead-letter.
#pragma once

#include <cstdint>
#include <random>

#include "host/config/workspace.h"
#include "host/delivery/event_outcome.h"
#include "host/store/store.h"

namespace switchyard {

// `outcome` is SY_RETRY or SY_THROTTLED. Throttling waits for the server's hint (or the
// backoff base) without growing the backoff: it slows the destination, it does not count
// as a failure of the event.
JobSettlement retry_or_dead_letter(const Job &job, const EventOutcome &outcome, const DeliveryPolicy &policy,
                                   int64_t now_ms, std::mt19937_64 &random);

// "status 503: <message>" or "<message>" when there was no status.
std::string failure_reason(const EventOutcome &outcome);

}  // namespace switchyard
