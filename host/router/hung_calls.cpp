// Strikes of jobs whose calls hung, and threads stuck per instance.
#include "host/router/hung_calls.h"

namespace switchyard {

std::vector<EventOutcome> HungCalls::timed_out(std::span<const Job> jobs, const std::string &reason) {
    std::lock_guard lock(mutex_);
    std::vector<EventOutcome> outcomes;
    outcomes.reserve(jobs.size());
    for (const Job &job : jobs) {
        if (++strikes_[job.id] < kTimeoutsToDeadLetter) {
            outcomes.push_back({SY_RETRY, 0, reason, 0, true, false});
            continue;
        }
        strikes_.erase(job.id);
        outcomes.push_back({SY_ABORT, 0, reason + " (" + std::to_string(kTimeoutsToDeadLetter) + " times)", 0, true, false});
    }
    return outcomes;
}

void HungCalls::settled(std::span<const JobSettlement> settlements) {
    std::lock_guard lock(mutex_);
    if (strikes_.empty()) return;
    for (const JobSettlement &settlement : settlements)
        if (settlement.kind != Settlement::retry) strikes_.erase(settlement.job_id);
}

bool HungCalls::one_at_a_time() const {
    std::lock_guard lock(mutex_);
    return !strikes_.empty();
}

void HungCalls::stuck(const Destination *instance) {
    std::lock_guard lock(mutex_);
    ++stuck_[instance];
}

void HungCalls::returned(const Destination *instance) {
    std::lock_guard lock(mutex_);
    if (auto it = stuck_.find(instance); it != stuck_.end() && --it->second == 0) stuck_.erase(it);
}

size_t HungCalls::stuck_in(const Destination *instance) const {
    std::lock_guard lock(mutex_);
    auto it = stuck_.find(instance);
    return it == stuck_.end() ? 0 : it->second;
}

bool HungCalls::full(const LiveDestination &live) const {
    if (stuck_in(live.instance.get()) >= most_stuck_) return true;
    for (const auto &[source, connection] : live.connections)
        if (stuck_in(connection.instance.get()) >= most_stuck_) return true;
    return false;
}

}  // namespace switchyard
