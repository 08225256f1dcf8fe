// `switchyard send`: transform NDJSON events from stdin and deliver them through the plugin with
// `serve`'s delivery runner (per-user order, pacing, hold-back, grading, retry policy) over an
// in-memory queue; retried only as --retries asks. One NDJSON line per input event, in input order.
#include <iostream>

#include "host/cli/command.h"
#include "host/cli/destination_flags.h"
#include "host/cli/send_outcomes.h"
#include "host/ingest/normalize.h"
#include "host/router/batch_sends.h"
#include "host/router/destination_runner.h"
#include "host/router/router.h"
#include "host/store/memory_store.h"

namespace switchyard::cli {
namespace {

// A CLI waits seconds, not `serve`'s minutes, between attempts; the attempts alone end a send.
constexpr auto kBackoffBase = std::chrono::milliseconds(200);
constexpr auto kBackoffCap = std::chrono::seconds(10);
constexpr auto kRetryWindow = std::chrono::hours(24);  // longer than 101 attempts of kBackoffCap
// Events read ahead of the first one still without its outcome: a long input is not held in memory whole.
constexpr size_t kMostUnprinted = 10'000;
constexpr std::string_view kQueueKey = "cli";  // the destination's key in the queue, logs and metrics

constexpr Flag kFlags[] = {
    kDestinationFlags[0], kDestinationFlags[1], kDestinationFlags[2], kDestinationFlags[3], kDestinationFlags[4],
    {"retries", "N", "extra attempts for a request that answers retry or throttled", "0"},
};

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Processor mode: one event per request, as `transform --mode processor` shows them (the plugin's
// single-event endpoints); several go at once, in per-user order.
DeliveryPolicy send_policy(const DestinationFlags &opened, uint32_t retries) {
    DeliveryPolicy policy;
    policy.batch_size = opened.router_mode ? opened.batch_size : 1;
    policy.events_per_request = opened.router_mode ? 0 : 1;
    policy.max_attempts = retries + 1;
    policy.backoff_base = kBackoffBase;
    policy.backoff_cap = kBackoffCap;
    policy.retry_window = kRetryWindow;
    return policy;
}

// The one destination the runner delivers to: the opened instance, no reload, no connections.
std::shared_ptr<const LiveDestination> live_destination(const DestinationFlags &opened, const DeliveryPolicy &policy) {
    auto live = std::make_shared<LiveDestination>();
    live->config.id = kQueueKey;
    live->config.delivery = policy;
    live->instance = opened.destination;
    return live;
}

// A line without userId or anonymousId (or not JSON) belongs to no user: a key of its own, which
// no identifier can equal (they are trimmed), lets it go beside every other.
std::vector<IncomingEvent> queued(const EventBatch &batch) {
    std::vector<IncomingEvent> events;
    events.reserve(batch.events.size());
    for (size_t i = 0; i < batch.events.size(); ++i) {
        const std::string_view line(batch.events[i].ptr, batch.events[i].len);
        std::string user = ingest::user_key_of_text(line);
        if (user.empty()) user = "\n" + std::to_string(batch.first_index + i);
        events.push_back(IncomingEvent{std::string(line), std::move(user), {std::string(kQueueKey)}});
    }
    return events;
}

int run_send(const Args &args) {
    const auto retries = parse_whole_number(args.value_or("retries", "0"));
    if (!retries || *retries > 100) {
        std::cerr << "switchyard: --retries must be a whole number from 0 to 100\n";
        return kExitUsage;
    }
    auto opened = open_destination(args);
    if (!opened) return kExitUsage;
    const DeliveryPolicy policy = send_policy(*opened, static_cast<uint32_t>(*retries));
    const std::shared_ptr<const LiveDestination> live = live_destination(*opened, policy);
    MemoryStore queue;
    Metrics metrics;
    declare_delivery_metrics(metrics);
    auto jobs_added = std::make_shared<WakeSignal>();
    queue.on_jobs_added([jobs_added](std::span<const std::string_view>) { jobs_added->notify(); });
    SendOutcomes outcomes;
    CallWatchdog watchdog;
    DeliveryPool pool(policy.workers * kMaxLanes);  // every turn's lanes can have a thread
    // No health: every outcome is printed, so the runner's trouble log lines would only repeat them.
    const auto runner = std::make_shared<DestinationRunner>(
        std::string(kQueueKey), policy, queue, metrics, pool, watchdog,
        [live] { return std::shared_ptr<const LiveDestination>(live); }, jobs_added, nullptr);
    runner->on_settled([&outcomes](const Job &job, const EventOutcome &outcome, const JobSettlement &settlement) {
        if (settlement.kind != Settlement::retry)  // job ids count from 1 in input order (memory_store.h)
            outcomes.record(static_cast<size_t>(job.id - 1), outcome);
    });
    runner->start();
    for_each_event_batch(opened->batch_size, [&](const EventBatch &batch) {
        outcomes.expect(batch.events.size());
        queue.append(queued(batch), now_ms());
        outcomes.print_until(std::cout, kMostUnprinted);
    });
    outcomes.print_until(std::cout, 0);
    runner->stop();
    pool.stop();
    return outcomes.all_ok() ? kExitOk : kExitProblems;
}

}  // namespace

const Command kSendCommand{"send",
                           "Transform NDJSON events from stdin and deliver them once (backfills, API key checks).",
                           kFlags, run_send};

}  // namespace switchyard::cli
