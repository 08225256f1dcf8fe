// The checks on transform: the same events give the same results from many threads at once,
// every event is accounted for, and every result goes back to the plugin exactly once.
#include <algorithm>

#include "host/plugin_check/checks.h"
#include "host/plugin_check/parallel_transform.h"
#include "host/plugin_check/release_ledger.h"
#include "host/plugin_check/result_text.h"
#include "host/plugin_check/sample_events.h"

namespace switchyard::plugin_check {
namespace {

constexpr size_t kRounds = 8;  // calls per thread and batching mode
constexpr size_t kQuoteBytes = 60;

std::vector<sy_str_view> views_of(const std::vector<std::string> &events) {
    std::vector<sy_str_view> views;
    views.reserve(events.size());
    for (const std::string &e : events) views.push_back({e.data(), e.size()});
    return views;
}

std::string event_name(size_t index) {
    const auto samples = sample_events();
    if (index < samples.size()) return "event " + std::to_string(index) + " (" + std::string(samples[index].type) + ")";
    return "event " + std::to_string(index) + " (message " + std::to_string(index - samples.size() + 1) + " of --events)";
}

std::string quote_around(const std::string &text, size_t at) {
    const size_t from = at > kQuoteBytes / 2 ? at - kQuoteBytes / 2 : 0;
    return "\"" + text.substr(from, kQuoteBytes) + "\"";
}

std::string first_difference(const std::string &expected, const std::string &got) {
    const auto [e, g] = std::mismatch(expected.begin(), expected.end(), got.begin(), got.end());
    const auto at = static_cast<size_t>(e - expected.begin());
    return "at byte " + std::to_string(at) + ", " + quote_around(expected, at) + " became " + quote_around(got, at);
}

// Counts, per event, the requests and errors that name it; the first index out of range.
std::string coverage_problem(const TransformRead &r, size_t count) {
    std::vector<size_t> requests(count), errors(count);
    for (size_t q = 0; q < r.requests.size(); ++q)
        for (const uint32_t index : r.requests[q].event_indexes) {
            if (index >= count)
                return "request " + std::to_string(q) + " names event index " + std::to_string(index) + " of " +
                       std::to_string(count) + " events";
            ++requests[index];
        }
    for (size_t e = 0; e < r.errors.size(); ++e) {
        if (r.errors[e].event_index >= count)
            return "error " + std::to_string(e) + " names event index " + std::to_string(r.errors[e].event_index) +
                   " of " + std::to_string(count) + " events";
        ++errors[r.errors[e].event_index];
    }
    for (size_t i = 0; i < count; ++i) {
        if (errors[i] > 1) return event_name(i) + " is in " + std::to_string(errors[i]) + " errors";
        if (errors[i] == 1 && requests[i] > 0) return event_name(i) + " is both in a request and in an error";
        if (errors[i] == 0 && requests[i] == 0) return event_name(i) + " is in no request and in no error";
    }
    return {};
}

}  // namespace

std::vector<BatchingMode> batching_modes(const Subject &subject) {
    const uint32_t declared = subject.plugin->max_events_per_request();
    std::vector<BatchingMode> modes = {{1, "max_events_per_request 1"}};
    if (declared > 1) modes.push_back({declared, "max_events_per_request " + std::to_string(declared)});
    return modes;
}

std::shared_ptr<Destination> destination_under_test(const Subject &subject, std::shared_ptr<const PluginLibrary> plugin) {
    std::string error;
    auto destination = Destination::create(std::move(plugin), "plugin-check", *subject.settings, error);
    if (!destination) throw std::runtime_error(error);  // init accepted these settings 50 times already
    return destination;
}

Verdict check_each_result(const Subject &subject,
                          const std::function<std::string(const TransformRead &, const BatchingMode &)> &problem) {
    const std::vector<std::string> events = events_under_test(subject);
    const std::vector<sy_str_view> views = views_of(events);
    const auto destination = destination_under_test(subject, subject.plugin);
    for (const BatchingMode &mode : batching_modes(subject)) {
        const TransformResult result = destination->transform(views, mode.max_events);
        if (!result) return skipped("transform gave no usable result (see above)");
        if (const std::string why = problem(*result, mode); !why.empty())
            return failed("With " + mode.name + ", " + why);
    }
    return passed();
}

std::vector<std::string> events_under_test(const Subject &subject) {
    std::vector<std::string> events;
    for (const SampleEvent &sample : sample_events()) events.emplace_back(sample.json);
    events.insert(events.end(), subject.given_events.begin(), subject.given_events.end());
    return events;
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_transform_deterministic(Subject &subject) {
    const std::vector<std::string> events = events_under_test(subject);
    const std::vector<sy_str_view> views = views_of(events);
    const auto destination = destination_under_test(subject, subject.plugin);
    for (const BatchingMode &mode : batching_modes(subject)) {
        const std::string expected = result_text(destination->transform(views, mode.max_events));
        const std::vector<std::string> texts = transform_in_parallel(*destination, views, mode.max_events, kRounds);
        const auto differing = std::count_if(texts.begin(), texts.end(), [&](const auto &t) { return t != expected; });
        if (differing == 0) continue;
        const std::string &first = *std::find_if(texts.begin(), texts.end(), [&](const auto &t) { return t != expected; });
        return failed("transform gave different results for the same " + std::to_string(events.size()) + " events (" +
                      mode.name + "): " + std::to_string(differing) + " of " + std::to_string(texts.size()) +
                      " calls from " + std::to_string(kThreads) + " threads differ from the first call, " +
                      first_difference(expected, first) + ".");
    }
    return passed();
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_event_coverage(Subject &subject) {
    const size_t count = events_under_test(subject).size();
    return check_each_result(subject, [&](const TransformRead &result, const BatchingMode &) {
        const std::string why = coverage_problem(result, count);
        return why.empty() ? why
                           : why + "; every event index must be in some request or in exactly one error, never both.";
    });
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_results_released_once(Subject &subject) {
    const std::vector<std::string> events = events_under_test(subject);
    const std::vector<sy_str_view> views = views_of(events);
    ReleaseLedger ledger(subject.plugin);
    {
        const auto destination = destination_under_test(subject, ledger.counted_plugin());
        for (const BatchingMode &mode : batching_modes(subject))
            transform_in_parallel(*destination, views, mode.max_events, kRounds, [&](const TransformResult &result) {
                if (result.holds_plugin_result()) ledger.handed_out(result.plugin_owner());
            });
    }
    const std::string why = ledger.problem();
    return why.empty() ? passed() : failed(why);
}

}  // namespace switchyard::plugin_check
