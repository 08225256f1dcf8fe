// A destination's delivery trouble: the last error, and log lines worded for the operator.
#include "host/router/delivery_health.h"

#include "host/log/log.h"

namespace switchyard {
namespace {

struct TroubleWording {
    log::Level level;
    std::string_view name;      // the `trouble` field
    std::string_view headline;  // before the count
    std::string_view what;      // after the count
};

constexpr std::array<TroubleWording, kTroubleKinds> kWording = {{
    {log::Level::warn, "retried", "Deliveries failing", "retried"},
    {log::Level::warn, "throttled", "Deliveries throttled", "held back by the destination's rate limit (429)"},
    {log::Level::error, "dead_lettered", "Deliveries dead-lettered", "moved to the dead letters"},
}};

std::string events(uint64_t count) { return std::to_string(count) + (count == 1 ? " event" : " events"); }

std::string window(const TroubleReport &report) {
    if (!report.since_previous) return "";
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*report.since_previous).count();
    return " in the last " + std::to_string(seconds) + "s";
}

}  // namespace

DeliveryHealth::DeliveryHealth(std::string destination, Clock clock)
    : destination_(std::move(destination)), clock_(std::move(clock)) {}

// Recovery needs a batch that delivered without any retry or throttling: a batch that
// delivered some events but had to retry others has not recovered.
void DeliveryHealth::record(const SettledBatch &batch, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    for (size_t kind = 0; kind < kTroubleKinds; ++kind) {
        if (batch.troubles.at(kind) == 0) continue;
        last_error_ = LastError{batch.reasons.at(kind), now_ms};
        if (auto report = limiter_.record(static_cast<Trouble>(kind), batch.troubles.at(kind), batch.reasons.at(kind),
                                          clock_()))
            log_report(*report);
    }
    const bool still_failing = batch.troubles[static_cast<size_t>(Trouble::retried)] != 0 ||
                               batch.troubles[static_cast<size_t>(Trouble::throttled)] != 0;
    if (batch.delivered > 0 && !still_failing && limiter_.recovered())
        log::info("router:" + destination_, "Deliveries recovered: events are delivered again after failures.");
}

std::optional<LastError> DeliveryHealth::last_error() const {
    std::lock_guard lock(mutex_);
    if (!last_error_) return std::nullopt;
    return LastError{log::redact(last_error_->reason), last_error_->at_ms};
}

void DeliveryHealth::degrade(std::string why, const std::shared_ptr<const Destination> &instance) {
    std::lock_guard lock(mutex_);
    degradation_ = Degradation{std::move(why), instance};
}

std::optional<Degradation> DeliveryHealth::degradation() const {
    std::lock_guard lock(mutex_);
    return degradation_;
}

// log::write redacts the message and fields: a reason quoting a registered secret is safe.
void DeliveryHealth::log_report(const TroubleReport &report) const {
    const TroubleWording &wording = kWording.at(static_cast<size_t>(report.kind));
    const std::string message = std::string(wording.headline) + ": " + events(report.count) + " " +
                                std::string(wording.what) + window(report) + "; last: " + report.last_reason;
    const log::Field fields[] = {{"trouble", std::string(wording.name)}, {"count", std::to_string(report.count)}};
    log::write(wording.level, "router:" + destination_, message, fields);
}

}  // namespace switchyard
