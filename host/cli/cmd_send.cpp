// `switchyard send`: transform NDJSON events from stdin and deliver each request once through
// the plugin's send hook (paced under the plugin's rate limits, retried only as --retries asks).
// One NDJSON line per input event, in input order.
#include <iostream>
#include <random>
#include <thread>

#include "host/cli/command.h"
#include "host/cli/destination_flags.h"
#include "host/delivery/event_outcome.h"
#include "host/delivery/pacer.h"
#include "host/json/json_text.h"
#include "host/log/log.h"

namespace switchyard::cli {
namespace {

constexpr auto kBackoffBase = std::chrono::milliseconds(200);
constexpr auto kBackoffCap = std::chrono::seconds(10);

constexpr Flag kFlags[] = {
    kDestinationFlags[0], kDestinationFlags[1], kDestinationFlags[2], kDestinationFlags[3], kDestinationFlags[4],
    {"retries", "N", "extra attempts for a request that answers retry or throttled", "0"},
};

// Exponential backoff with full jitter, never shorter than the server's Retry-After.
std::chrono::milliseconds backoff(int attempt, uint32_t retry_after_ms) {
    thread_local std::mt19937 random{std::random_device{}()};
    const auto ceiling = std::min<std::chrono::milliseconds>(kBackoffCap, kBackoffBase * (1 << std::min(attempt, 16)));
    std::uniform_int_distribution<long> jitter(0, ceiling.count());
    return std::max(std::chrono::milliseconds(jitter(random)), std::chrono::milliseconds(retry_after_ms));
}

SendResult send_paced(const Destination &destination, Pacer &pacer, const RequestRead &request, int retries) {
    const std::string_view rate_key(request.fields.rate_key.ptr ? request.fields.rate_key.ptr : "",
                                    request.fields.rate_key.len);
    for (int attempt = 0;; ++attempt) {
        std::this_thread::sleep_until(pacer.reserve(rate_key));
        SendResult sent = destination.send(request.to_send());
        const sy_outcome outcome = sent ? sent->fields.outcome : SY_RETRY;
        const uint32_t retry_after = sent ? sent->fields.retry_after_ms : 0;
        if (outcome == SY_THROTTLED) pacer.on_throttled(rate_key, std::chrono::milliseconds(retry_after));
        if (outcome == SY_OK) pacer.on_success(rate_key);
        if ((outcome != SY_RETRY && outcome != SY_THROTTLED) || attempt >= retries) return sent;
        std::this_thread::sleep_for(backoff(attempt, retry_after));
    }
}

void write_line(std::string &out, size_t index, const EventOutcome &event) {
    out += "{\"index\":" + std::to_string(index) + ",\"outcome\":\"" + std::string(outcome_name(event.outcome)) +
           "\",\"status\":" + std::to_string(event.status);
    if (event.outcome != SY_OK) {  // skipped too: say why it needed no delivery
        out += ",\"error\":";
        json::append_string(out, log::redact(event.message));  // a destination's answer may quote the key
    }
    out += "}\n";
}

std::vector<EventOutcome> deliver_batch(const Destination &destination, Pacer &pacer,
                                        std::span<const sy_borrowed_str> events, uint32_t max_events, int retries) {
    const TransformResult result = destination.transform(events, max_events);
    if (!result) return std::vector<EventOutcome>(events.size(), EventOutcome{SY_RETRY, 0, result.problem(), 0, true, false});
    std::vector<EventOutcome> outcomes = outcomes_from_transform(*result, events.size());
    for (const RequestRead &request : result->requests) {
        const SendResult sent = send_paced(destination, pacer, request, retries);
        if (sent)
            settle_request(request, *sent, outcomes);
        else
            retry_request(request, sent.problem(), outcomes);
    }
    abort_uncarried(outcomes);
    return outcomes;
}

int run_send(const Args &args) {
    const auto retries = parse_whole_number(args.value_or("retries", "0"));
    if (!retries || *retries > 100) {
        std::cerr << "switchyard: --retries must be a whole number from 0 to 100\n";
        return kExitUsage;
    }
    auto opened = open_destination(args);
    if (!opened) return kExitUsage;
    Pacer pacer(opened->destination->rate_limits());
    const uint32_t max_events = opened->router_mode ? opened->destination->plugin().max_events_per_request() : 1;
    bool all_ok = true;
    for_each_event_batch(opened->batch_size, [&](const EventBatch &batch) {
        const auto outcomes =
            deliver_batch(*opened->destination, pacer, batch.events, max_events, static_cast<int>(*retries));
        std::string out;
        for (size_t i = 0; i < outcomes.size(); ++i) {
            write_line(out, batch.first_index + i, outcomes[i]);
            all_ok = all_ok && (outcomes[i].outcome == SY_OK || outcomes[i].outcome == SY_SKIPPED);
        }
        std::cout << out << std::flush;
    });
    return all_ok ? kExitOk : kExitProblems;
}

}  // namespace

const Command kSendCommand{"send",
                           "Transform NDJSON events from stdin and deliver them once (backfills, API key checks).",
                           kFlags, run_send};

}  // namespace switchyard::cli
