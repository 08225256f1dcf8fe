// One report per kind per interval; occurrences in between are counted into the next one.
#include "host/router/trouble_limiter.h"

namespace switchyard {

std::optional<TroubleReport> TroubleLimiter::record(Trouble kind, uint64_t count, std::string_view reason,
                                                    TimePoint now) {
    if (count == 0) return std::nullopt;
    troubled_ = troubled_ || kind != Trouble::dead_lettered;
    Kind &k = kinds_.at(static_cast<size_t>(kind));
    k.unreported += count;
    k.last_reason = reason;
    if (k.last_report && now - *k.last_report < interval_) return std::nullopt;
    TroubleReport report{kind, k.unreported, std::nullopt, k.last_reason};
    if (k.last_report) report.since_previous = now - *k.last_report;
    k.last_report = now;
    k.unreported = 0;
    return report;
}

bool TroubleLimiter::recovered() {
    const bool was_troubled = troubled_;
    troubled_ = false;
    return was_troubled;
}

}  // namespace switchyard
