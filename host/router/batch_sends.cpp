// Sending a batch's requests on lanes in per-user order, and settling each event from them.
#include "host/router/batch_sends.h"

#include <algorithm>
#include <thread>

#include "host/log/log.h"

namespace switchyard {
namespace {

constexpr unsigned kSendCrashesToDeadLetter = 3;  // sends of one request that ended the plugin's worker

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

RequestOrder order_of(const TransformRead &result, std::span<const Job> jobs) {
    std::vector<std::span<const uint32_t>> events_of;
    events_of.reserve(result.requests.size());
    for (const RequestRead &request : result.requests) events_of.push_back(request.event_indexes);
    std::vector<std::string_view> user_of;
    user_of.reserve(jobs.size());
    for (const Job &job : jobs) user_of.push_back(job.user_key);
    return RequestOrder(events_of, user_of);
}

// One lane per rate key, in order of first appearance; keys beyond `most` share lanes round robin.
std::vector<std::vector<size_t>> lanes_of(const TransformRead &result, size_t most) {
    std::vector<std::string_view> keys;
    std::vector<std::vector<size_t>> lanes;
    for (size_t j = 0; j < result.requests.size(); ++j) {
        const std::string_view key = text(result.requests[j].fields.rate_key);
        const auto known = std::ranges::find(keys, key);
        const size_t lane = static_cast<size_t>(known - keys.begin()) % most;
        if (known == keys.end()) keys.push_back(key);
        if (lane >= lanes.size()) lanes.resize(lane + 1);
        lanes[lane].push_back(j);
    }
    return lanes;
}

}  // namespace

BatchSends::BatchSends(const SendContext &context, const TransformRead &result, std::span<const Job> jobs)
    : context_(context),
      result_(result),
      lanes_(lanes_of(result, context.calls.destination().in_this_process() ? 1 : kMaxLanes)),
      order_(order_of(result, jobs)),
      outcomes_(outcomes_from_transform(result, jobs.size())) {}

std::vector<EventOutcome> BatchSends::run(std::vector<uint32_t> &alone) {
    run_lanes();
    if (error_) std::rethrow_exception(error_);
    if (serial_) {  // what the lanes left, in the plugin's order on this thread
        std::vector<size_t> all(result_.requests.size());
        for (size_t j = 0; j < all.size(); ++j) all[j] = j;
        run_lane(all, false);
    }
    abort_uncarried(outcomes_);
    alone = std::move(alone_);
    return std::move(outcomes_);
}

void BatchSends::run_lanes() {
    if (lanes_.size() <= 1) {
        if (!lanes_.empty()) run_lane(lanes_[0], false);
        return;
    }
    auto guarded = [this](size_t lane) {
        try {
            run_lane(lanes_[lane], true);
        } catch (...) {
            const std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
            changed_.notify_all();
        }
    };
    for (size_t lane = 1; lane < lanes_.size(); ++lane) {
        const std::lock_guard lock(mutex_);
        ++lanes_running_;
        const bool started = context_.pool.run_on_idle_thread([this, guarded, lane] {
            guarded(lane);
            const std::lock_guard ended(mutex_);
            --lanes_running_;
            changed_.notify_all();
        });
        if (started) continue;
        --lanes_running_;
        serial_ = true;  // no thread to spare: the calling thread sends the rest
        changed_.notify_all();
        break;
    }
    guarded(0);
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return lanes_running_ == 0; });
}

void BatchSends::run_lane(std::span<const size_t> mine, bool concurrent) {
    while (const std::optional<size_t> request = take_next(mine, concurrent)) send(*request, concurrent);
}

// Waits while a request of the lane still waits for another lane's; none is left when a lane
// gave up (an exception, or a crash that sends the rest one at a time).
std::optional<size_t> BatchSends::take_next(std::span<const size_t> mine, bool concurrent) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (error_ || (concurrent && serial_)) return std::nullopt;
        if (const std::optional<size_t> ready = order_.first_ready(mine)) {
            order_.take(*ready);
            return ready;
        }
        // Alone on its thread, nothing can change what it waits for (the earliest waiting request is ready).
        if (!concurrent || !order_.any_waiting(mine)) return std::nullopt;
        changed_.wait(lock);
    }
}

// Concurrently, a send that ends the plugin's worker may be another lane's doing: the request is
// put back and sent again one at a time, where each send's crash is its own.
void BatchSends::send(size_t request, bool concurrent) {
    const RequestRead &read = result_.requests[request];
    const std::string_view rate_key = text(read.fields.rate_key);
    if (context_.stopping) return hold_back(request);
    std::this_thread::sleep_until(context_.pacer.reserve(rate_key));
    if (context_.stopping) return hold_back(request);
    const SendResult sent = concurrent ? context_.calls.send(read.to_send()) : send_through_crashes(read);
    if (concurrent && !sent && !sent.crash().empty() && !context_.stopping) {
        const std::lock_guard lock(mutex_);
        order_.put_back(request);
        serial_ = true;
        changed_.notify_all();
        return;
    }
    const sy_outcome outcome = sent ? sent->fields.outcome : SY_RETRY;
    if (outcome == SY_THROTTLED)
        context_.pacer.on_throttled(rate_key, std::chrono::milliseconds(sent->fields.retry_after_ms));
    if (outcome == SY_OK) context_.pacer.on_success(rate_key);
    context_.metrics.add("switchyard_requests_total",
                         {{"destination", context_.destination}, {"outcome", std::string(outcome_name(outcome))}});
    settle_send(request, sent);
}

// A request whose send ends the plugin's worker is sent again (to the restarted worker), up to
// kSendCrashesToDeadLetter times in all; the last answer, or loss, is returned.
SendResult BatchSends::send_through_crashes(const RequestRead &request) {
    SendResult sent = context_.calls.send(request.to_send());
    for (unsigned tries = 1; !sent && !sent.crash().empty() && tries < kSendCrashesToDeadLetter && !context_.stopping;
         ++tries) {
        log::warn("router:" + context_.destination, "The plugin " + sent.crash() + " sending a \"" +
                                                        std::string(text(request.fields.kind)) + "\" request; it is sent again.");
        sent = context_.calls.send(request.to_send());
    }
    return sent;
}

void BatchSends::settle_send(size_t request, const SendResult &sent) {
    const RequestRead &read = result_.requests[request];
    const std::lock_guard lock(mutex_);
    const bool crashed = !sent && !sent.crash().empty() && !context_.stopping;
    if (sent) {
        settle_request(read, *sent, outcomes_);
        if (holds_back_its_users(read, outcomes_))
            failed(request);
        else
            order_.went_through(request);
    } else if (crashed && read.event_indexes.size() > 1) {
        alone_.insert(alone_.end(), read.event_indexes.begin(), read.event_indexes.end());
        failed(request);
    } else if (crashed) {
        abort_request(read, "plugin " + sent.crash() + " sending this request, " +
                                std::to_string(kSendCrashesToDeadLetter) + " times",
                      outcomes_);
        order_.went_through(request);
    } else {
        log::warn("router:" + context_.destination,
                  sent.problem() + "; the events of its \"" + std::string(text(read.fields.kind)) + "\" request will be retried.");
        retry_request(read, sent.problem(), outcomes_);
        failed(request);
    }
    changed_.notify_all();
}

void BatchSends::hold_back(size_t request) {
    const std::lock_guard lock(mutex_);
    hold_back_request(result_.requests[request], outcomes_);
    for (const size_t held : order_.hold_back(request)) hold_back_request(result_.requests[held], outcomes_);
    changed_.notify_all();
}

// Under the mutex.
void BatchSends::failed(size_t request) {
    for (const size_t held : order_.failed(request)) hold_back_request(result_.requests[held], outcomes_);
}

}  // namespace switchyard
