// The checks on what each transform result holds: readable by the ABI's size rules, a kind on
// every request, the table's batch limits kept, an outcome on every error.
#include "host/plugin_check/checks.h"

namespace switchyard::plugin_check {
namespace {

bool is_error_outcome(sy_outcome outcome) { return outcome == SY_ABORT || outcome == SY_RETRY || outcome == SY_SKIPPED; }

}  // namespace

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_results_readable(Subject &subject) {
    const std::vector<std::string> events = events_under_test(subject);
    std::vector<sy_str_view> views;
    views.reserve(events.size());
    for (const std::string &e : events) views.push_back({e.data(), e.size()});
    const auto destination = destination_under_test(subject, subject.plugin);
    for (const BatchingMode &mode : batching_modes(subject))
        if (const TransformResult result = destination->transform(views, mode.max_events); !result)
            return failed("With " + mode.name + ", " + result.problem() +
                          "; every element must carry its struct_size, at least the ABI 2.0 size of its type.");
    return passed();
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_request_kinds(Subject &subject) {
    return check_each_result(subject, [](const TransformRead &result, const BatchingMode &) -> std::string {
        for (size_t q = 0; q < result.requests.size(); ++q)
            if (result.requests[q].fields.kind.len == 0)
                return "request " + std::to_string(q) + " has an empty kind; every request needs the plugin's label "
                                                        "for what it does (send() grades by it).";
        return {};
    });
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_batch_limits(Subject &subject) {
    const uint64_t max_body = subject.plugin->table().max_body_bytes;
    return check_each_result(subject, [&](const TransformRead &result, const BatchingMode &mode) -> std::string {
        for (size_t q = 0; q < result.requests.size(); ++q) {
            const RequestRead &request = result.requests[q];
            if (request.event_indexes.size() > mode.max_events)
                return "request " + std::to_string(q) + " carries " + std::to_string(request.event_indexes.size()) +
                       " events, more than the " + std::to_string(mode.max_events) + " transform was given.";
            if (max_body > 0 && request.fields.body.len > max_body)
                return "request " + std::to_string(q) + " has a body of " + std::to_string(request.fields.body.len) +
                       " bytes, more than the table's max_body_bytes " + std::to_string(max_body) + ".";
        }
        return {};
    });
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_error_outcomes(Subject &subject) {
    return check_each_result(subject, [](const TransformRead &result, const BatchingMode &) -> std::string {
        for (const EventErrorRead &error : result.errors)
            if (!is_error_outcome(error.outcome))
                return "the error of event " + std::to_string(error.event_index) + " has outcome " +
                       std::to_string(error.outcome) + "; an event error's outcome must be SY_ABORT, SY_RETRY or "
                                                        "SY_SKIPPED.";
        return {};
    });
}

}  // namespace switchyard::plugin_check
