// Carrying out regulations (see regulation_runner.h). Logs name regulation ids, destinations and
// counts, never a user: ids and emails are personal data.
#include "host/regulation/regulation_runner.h"

#include <algorithm>
#include <chrono>

#include "host/delivery/event_outcome.h"
#include "host/log/log.h"
#include "host/log/utc_time.h"
#include "host/router/retry_policy.h"

namespace switchyard::regulation {
namespace {

constexpr const char *kComponent = "regulation";
// How often the store is looked at when nothing wakes the runner: regulations added by the CLI,
// retries coming due.
constexpr auto kIdlePoll = std::chrono::seconds(1);

std::string name_of(const Regulation &r) { return "Regulation " + std::to_string(r.id); }

std::vector<sy_borrowed_str> user_views(const Regulation &r) {
    std::vector<sy_borrowed_str> views;
    for (const User &u : r.users) views.push_back({u.json.data(), u.json.size()});
    return views;
}

}  // namespace

RegulationRunner::RegulationRunner(Store &store, CurrentSnapshot current, SuppressionList &suppressions)
    : store_(store), current_(std::move(current)), suppressions_(suppressions) {}

RegulationRunner::~RegulationRunner() { stop(); }

std::string RegulationRunner::unknown_destinations(const Regulation &regulation) const {
    const std::shared_ptr<const Snapshot> running = current_();
    std::string unknown;
    for (const std::string &given : regulation.destination_ids) {
        const bool known = running != nullptr && std::any_of(running->destinations.begin(), running->destinations.end(),
                                                             [&](const auto &d) { return Regulation::entry_names(given, d.first); });
        if (!known) unknown.append(unknown.empty() ? "\"" : ", \"").append(given).append("\"");
    }
    return unknown.empty() ? "" : "\"destinationIds\" names no configured destination: " + unknown + ".";
}

std::vector<Regulation> RegulationRunner::refresh() {
    std::vector<Regulation> regulations;
    for (const StoredRegulation &stored : store_.regulations())
        regulations.push_back(from_record(stored.id, stored.created_ms, stored.record));
    suppressions_.replace(regulations);
    return regulations;
}

void RegulationRunner::start() { thread_ = std::thread([this] { run(); }); }

void RegulationRunner::wake() {
    std::lock_guard lock(mutex_);
    woken_ = true;
    wake_.notify_one();
}

void RegulationRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void RegulationRunner::run() {
    for (;;) {
        try {
            pass();
        } catch (const std::exception &e) {
            log::error(kComponent, std::string("Could not carry out the regulations: ") + e.what());
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, kIdlePoll, [this] { return stopping_ || woken_; });
        if (stopping_) return;
        woken_ = false;
    }
}

void RegulationRunner::pass() {
    const std::shared_ptr<const Snapshot> running = current_();
    const int64_t now = log::unix_now_ms();
    const bool carries_out = store_.coordinates();  // of several hosts, one carries regulations out
    for (Regulation &regulation : refresh()) {
        if (regulation.state() != "pending" || !carries_out) continue;
        if (!advance(regulation, *running, now)) continue;
        store_.update_regulation(regulation.id, to_record(regulation));
        if (regulation.state() != "pending")
            log::info(kComponent, name_of(regulation) + " (" + std::string(type_name(regulation.type)) + ", " +
                                      std::to_string(regulation.users.size()) + " user(s)) is " + regulation.state() + ".");
    }
}

// One step for every destination that is due; true when something changed.
bool RegulationRunner::advance(Regulation &regulation, const Snapshot &running, int64_t now_ms) {
    bool changed = !regulation.resolved;
    resolve(regulation, running);
    for (auto &[key, progress] : regulation.destinations) {
        if (progress.state != "pending" || progress.next_attempt_ms > now_ms) continue;
        auto live = running.destinations.find(key);
        if (live == running.destinations.end()) continue;  // removed or suspended: waits until it is back
        const Progress before = progress;
        if (suppresses(regulation.type) && !progress.jobs_purged) purge_jobs(regulation, key, progress);
        if (deletes(regulation.type)) delete_users(regulation, key, live->second, progress, now_ms);
        else progress.state = "done";
        changed = changed || progress.state != before.state || progress.attempts != before.attempts ||
                  progress.jobs_purged != before.jobs_purged;
    }
    return changed;
}

// The destinations it applies to are those configured when it is first carried out.
void RegulationRunner::resolve(Regulation &regulation, const Snapshot &running) const {
    if (regulation.resolved) return;
    for (const auto &[key, live] : running.destinations)
        if (regulation.names(key)) regulation.destinations[key] = Progress{};
    regulation.resolved = true;
}

void RegulationRunner::purge_jobs(const Regulation &regulation, const std::string &key, Progress &progress) {
    size_t purged = 0;
    for (const User &user : regulation.users)
        if (!user.user_id.empty()) purged += store_.purge_user_jobs(key, user.user_id);
    progress.jobs_purged = true;
    log::info(kComponent, name_of(regulation) + ": purged " + std::to_string(purged) + " pending job(s) of \"" + key + "\".");
}

void RegulationRunner::delete_users(const Regulation &regulation, const std::string &key, const LiveDestination &live,
                                    Progress &progress, int64_t now_ms) {
    const Destination &destination = *live.instance;
    if (!destination.can_delete_users()) {
        progress.state = "unsupported";
        return;
    }
    const std::vector<sy_borrowed_str> users = user_views(regulation);
    EventOutcome failure{SY_OK, 0, {}, 0};
    TransformResult built = destination.delete_users(users);
    if (!built) failure = {SY_RETRY, 0, built.problem(), 0};
    for (size_t i = 0; built && failure.outcome == SY_OK && i < built->errors.size(); ++i)
        if (built->errors[i].outcome == SY_ABORT || built->errors[i].outcome == SY_RETRY)
            failure = {built->errors[i].outcome, built->errors[i].status, built->errors[i].message, 0};
    for (size_t i = 0; built && failure.outcome == SY_OK && i < built->requests.size(); ++i) {
        SendResult sent = destination.send(built->requests[i].to_send());
        if (!sent) failure = {SY_RETRY, 0, sent.problem(), 0};
        else if (sent->fields.outcome != SY_OK)
            failure = {sent->fields.outcome, sent->fields.http_status,
                       std::string(sent->fields.message.ptr ? sent->fields.message.ptr : "", sent->fields.message.len),
                       sent->fields.retry_after_ms};
    }
    if (failure.outcome == SY_OK) {
        size_t purged = 0;
        for (const User &user : regulation.users)
            if (!user.user_id.empty()) purged += store_.purge_user_dead_letters(key, user.user_id);
        progress.state = "done";
        progress.error.clear();
        log::info(kComponent, name_of(regulation) + ": \"" + key + "\" deleted " +
                                  std::to_string(regulation.users.size()) + " user(s); purged " + std::to_string(purged) +
                                  " dead letter(s).");
        return;
    }
    if (failure.outcome == SY_ABORT) {
        progress.state = "failed";
        progress.error = log::redact(failure_reason(failure));
        return;
    }
    // As a delivery: backoff with jitter, the server's Retry-After, and the retry window.
    const Job as_job{regulation.id, key, {}, {}, progress.attempts, regulation.created_ms,
                     progress.first_failure_ms};
    const JobSettlement next = retry_or_dead_letter(as_job, failure, live.config.delivery, now_ms, random_);
    progress.error = log::redact(next.reason);
    if (next.kind == Settlement::dead) {
        progress.state = "failed";
        return;
    }
    if (progress.first_failure_ms == 0) progress.first_failure_ms = now_ms;
    ++progress.attempts;
    progress.next_attempt_ms = next.next_attempt_ms;
}

}  // namespace switchyard::regulation
