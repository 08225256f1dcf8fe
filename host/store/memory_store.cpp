// The in-memory store: appends, claims in per-user order, settlements, dead letters.
#include "host/store/memory_store.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "host/log/log.h"

namespace switchyard {

void MemoryStore::append(std::span<const IncomingEvent> events, int64_t now_ms) {
    std::set<std::string, std::less<>> added;
    {
        std::lock_guard lock(mutex_);
        ++version_;
        for (const IncomingEvent &event : events)
            for (const std::string &destination : event.destinations) {
                const int64_t id = next_job_id_++;
                Job job{id, destination, event.user_key, event.payload, 0, now_ms, 0, event.source};
                pending_.emplace(id, Pending{std::move(job), 0});
                added.insert(destination);
            }
    }
    if (!jobs_added_ || added.empty()) return;
    const std::vector<std::string_view> destinations(added.begin(), added.end());
    jobs_added_(destinations);
}

// A user's first job met is their earliest pending one: if it is not due, or the user is busy,
// their later jobs are skipped too (store.h).
std::vector<Job> MemoryStore::claim(std::string_view destination, size_t limit, int64_t now_ms,
                                    const std::function<bool(std::string_view)> &user_busy) {
    std::vector<Job> jobs;
    std::map<std::string_view, bool> may_go;  // per user met: true while their jobs may go out
    std::lock_guard lock(mutex_);
    for (auto it = pending_.begin(); it != pending_.end() && jobs.size() < limit; ++it) {
        const Pending &pending = it->second;
        if (pending.job.destination != destination) continue;
        auto verdict = may_go.find(pending.job.user_key);
        if (verdict == may_go.end())
            verdict = may_go.emplace(pending.job.user_key, !user_busy(pending.job.user_key)).first;
        if (verdict->second && pending.next_attempt_ms > now_ms) verdict->second = false;
        if (verdict->second) jobs.push_back(pending.job);
    }
    return jobs;
}

void MemoryStore::settle(std::span<const JobSettlement> settlements, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    ++version_;
    for (const JobSettlement &settlement : settlements) {
        auto it = pending_.find(settlement.job_id);
        if (it == pending_.end()) continue;  // purged while in flight
        Pending &pending = it->second;
        switch (settlement.kind) {
            case Settlement::delivered: pending_.erase(it); break;
            case Settlement::dead:
                dead_.emplace(settlement.job_id, Dead{std::move(pending.job), log::redact(settlement.reason), now_ms});
                pending_.erase(it);
                break;
            case Settlement::retry:
                ++pending.job.attempts;
                if (pending.job.first_failure_ms == 0) pending.job.first_failure_ms = now_ms;
                pending.next_attempt_ms = settlement.next_attempt_ms;
                break;
        }
    }
}

std::optional<int64_t> MemoryStore::next_due_ms(std::string_view destination) {
    std::optional<int64_t> due;
    std::lock_guard lock(mutex_);
    for (const auto &[id, pending] : pending_)
        if (pending.job.destination == destination) due = std::min(due.value_or(INT64_MAX), pending.next_attempt_ms);
    return due;
}

uint64_t MemoryStore::data_version() {
    std::lock_guard lock(mutex_);
    return version_;
}

std::vector<QueueStats> MemoryStore::queue_stats() {
    std::map<std::string, QueueStats> by_destination;
    std::lock_guard lock(mutex_);
    for (const auto &[id, pending] : pending_) {
        QueueStats &stats = by_destination[pending.job.destination];
        stats.destination = pending.job.destination;
        ++stats.depth;
        if (stats.oldest_created_ms == 0 || pending.job.created_ms < stats.oldest_created_ms)
            stats.oldest_created_ms = pending.job.created_ms;
    }
    std::vector<QueueStats> out;
    out.reserve(by_destination.size());
    for (auto &[destination, stats] : by_destination) out.push_back(std::move(stats));
    return out;
}

// Oldest first: by failure time, then by job id.
std::vector<DeadLetter> MemoryStore::dead_letters(std::string_view destination, size_t limit) {
    std::vector<DeadLetter> out;
    std::lock_guard lock(mutex_);
    for (const auto &[id, dead] : dead_)
        if (destination.empty() || dead.job.destination == destination)
            out.push_back({id, dead.job.destination, dead.job.user_key, dead.job.payload, dead.reason, dead.job.attempts,
                           dead.job.created_ms, dead.failed_ms});
    std::ranges::stable_sort(out, {}, &DeadLetter::failed_ms);
    if (out.size() > limit) out.resize(limit);
    return out;
}

size_t MemoryStore::replay(std::string_view destination, std::span<const int64_t> ids, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    ++version_;
    size_t replayed = 0;
    for (auto it = dead_.begin(); it != dead_.end();) {
        const bool chosen = ids.empty() ? destination.empty() || it->second.job.destination == destination
                                        : std::ranges::find(ids, it->first) != ids.end() &&
                                              (destination.empty() || it->second.job.destination == destination);
        if (!chosen) {
            ++it;
            continue;
        }
        Job job = std::move(it->second.job);
        job.id = next_job_id_++;
        job.attempts = 0;
        job.first_failure_ms = 0;
        job.created_ms = now_ms;
        const int64_t id = job.id;
        pending_.emplace(id, Pending{std::move(job), 0});
        it = dead_.erase(it);
        ++replayed;
    }
    return replayed;
}

size_t MemoryStore::purge(const PurgeSelection &selection) {
    std::lock_guard lock(mutex_);
    ++version_;
    return std::erase_if(dead_, [&](const auto &entry) {
        const auto &[id, dead] = entry;
        if (!selection.destination.empty() && dead.job.destination != selection.destination) return false;
        if (!selection.ids.empty()) return std::ranges::find(selection.ids, id) != selection.ids.end();
        return !selection.failed_before_ms || dead.failed_ms < *selection.failed_before_ms;
    });
}

std::map<std::string, uint64_t> MemoryStore::dead_letter_counts() {
    std::map<std::string, uint64_t> counts;
    std::lock_guard lock(mutex_);
    for (const auto &[id, dead] : dead_) ++counts[dead.job.destination];
    return counts;
}

size_t MemoryStore::purge_user_jobs(std::string_view destination, std::string_view user_key) {
    std::lock_guard lock(mutex_);
    ++version_;
    return std::erase_if(pending_, [&](const auto &entry) {
        return entry.second.job.destination == destination && entry.second.job.user_key == user_key;
    });
}

size_t MemoryStore::purge_user_dead_letters(std::string_view destination, std::string_view user_key) {
    std::lock_guard lock(mutex_);
    ++version_;
    return std::erase_if(dead_, [&](const auto &entry) {
        return entry.second.job.destination == destination && entry.second.job.user_key == user_key;
    });
}

int64_t MemoryStore::add_regulation(std::string_view record, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    ++version_;
    const int64_t id = static_cast<int64_t>(regulations_.size()) + 1;
    regulations_.push_back({id, now_ms, std::string(record)});
    return id;
}

std::vector<StoredRegulation> MemoryStore::regulations() {
    std::lock_guard lock(mutex_);
    return regulations_;
}

void MemoryStore::update_regulation(int64_t id, std::string_view record) {
    std::lock_guard lock(mutex_);
    ++version_;
    if (id < 1 || id > static_cast<int64_t>(regulations_.size()))
        throw std::runtime_error("No regulation " + std::to_string(id) + " in the in-memory store.");
    regulations_[static_cast<size_t>(id - 1)].record = record;
}

}  // namespace switchyard
