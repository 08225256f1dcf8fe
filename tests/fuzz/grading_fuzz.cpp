// Fuzzes the Iterable response grader: an HTTP answer (status, Retry-After header, body) to a
// request that was sent (its kind, event count, body) becomes outcomes (plugins/iterable/grading.cpp).
// Input: five lines, then the answer's body:
//   <status, 0-999; 0: no answer>
//   <Retry-After header value>
//   <request kind: its rate_key, e.g. users/bulkUpdate>
//   <events in the request, 0-300>
//   <request body, one line>
//   <answer body>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "grading.h"

namespace {

constexpr int64_t kNowEpochSeconds = 1'714'550'400;  // 2024-05-01T08:00:00Z, for HTTP-date Retry-After
constexpr size_t kMaxEvents = 300;

std::string_view next_line(std::string_view &text) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

size_t number(std::string_view text, size_t max) {
    size_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value % (max + 1);
}

[[noreturn]] void contract_broken(const std::string &what) {
    std::fprintf(stderr, "fuzz: %s\n", what.c_str());
    std::abort();
}

// SPEC.md §9 (tests/data/conformance/iterable/): 2xx OK, 429 THROTTLED, 5xx and no answer
// RETRY, other 4xx ABORT; the per-event list is empty or aligned with the request's events.
void check(long status, size_t event_count, const sy::SendOutput &out) {
    sy_outcome expected = SY_ABORT;
    if (status >= 200 && status < 300) expected = SY_OK;
    else if (status == 429) expected = SY_THROTTLED;
    else if (status == 0 || status >= 500) expected = SY_RETRY;
    if (out.outcome != expected)
        contract_broken("status " + std::to_string(status) + " graded " + std::to_string(out.outcome));
    if (!out.events.empty() && out.events.size() != event_count)
        contract_broken(std::to_string(out.events.size()) + " event outcomes for " + std::to_string(event_count) + " events");
    if (out.outcome != SY_OK && out.message.empty()) contract_broken("a failure without a message");
    for (const sy::EventOutcome &event : out.events)
        if (event.outcome != SY_OK && event.message.empty()) contract_broken("an event failure without a message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view input(reinterpret_cast<const char *>(data), size);
    sy::sdk::HttpAnswer answer;
    answer.status = static_cast<long>(number(next_line(input), 999));
    answer.retry_after_ms = sy::sdk::parse_retry_after(next_line(input), kNowEpochSeconds);
    const std::string_view rate_key = next_line(input);
    const size_t event_count = number(next_line(input), kMaxEvents);
    const std::string_view request_body = next_line(input);
    answer.body = std::string(input);
    if (answer.status == 0) answer.transport_error = "Connection refused";
    sy::SendOutput out;
    iterable::grade(rate_key, request_body, event_count, answer, out);
    check(answer.status, event_count, out);
    return 0;
}
