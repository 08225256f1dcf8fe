// The contract checks of `switchyard plugin-check`: each one small function over the plugin under
// test, returning whether it held and, if not, one sentence saying what the plugin did wrong.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"

namespace switchyard::plugin_check {

// What the checks look at; earlier checks fill in what later ones need.
struct Subject {
    std::filesystem::path file;
    std::optional<std::string> given_settings;  // --settings, as compact JSON
    std::vector<std::string> given_events;      // --events, one message per line
    std::shared_ptr<const PluginLibrary> plugin;  // set by check_loads
    std::optional<std::string> settings;          // what init accepts; set by check_init_destroy_repeated
};

struct Verdict {
    enum class Kind { ok, fail, skip } kind = Kind::ok;
    std::string sentence;  // for fail and skip: why
};

inline Verdict passed() { return {}; }
inline Verdict failed(std::string sentence) { return {Verdict::Kind::fail, std::move(sentence)}; }
inline Verdict skipped(std::string sentence) { return {Verdict::Kind::skip, std::move(sentence)}; }

// library_checks.cpp
Verdict check_no_gnu_unique(Subject &subject);
Verdict check_loads(Subject &subject);
Verdict check_unload_leaves_no_mapping(Subject &subject);
// table_checks.cpp
Verdict check_table_fields(Subject &subject);
Verdict check_settings_schema(Subject &subject);
// init_checks.cpp
Verdict check_init_refuses_empty(Subject &subject);
Verdict check_init_refuses_garbage(Subject &subject);
Verdict check_init_destroy_repeated(Subject &subject);
// transform_checks.cpp
Verdict check_transform_deterministic(Subject &subject);
Verdict check_event_coverage(Subject &subject);
Verdict check_results_released_once(Subject &subject);
// result_checks.cpp
Verdict check_results_readable(Subject &subject);
Verdict check_request_kinds(Subject &subject);
Verdict check_batch_limits(Subject &subject);
Verdict check_error_outcomes(Subject &subject);

// The built-in sample events followed by --events: what the transform checks transform.
std::vector<std::string> events_under_test(const Subject &subject);

// The max_events_per_request values the transform checks pass, as the host does: 1 (processor
// mode) and the table's (router mode and delivery).
struct BatchingMode {
    uint32_t max_events;
    std::string name;  // "max_events_per_request 1"
};
std::vector<BatchingMode> batching_modes(const Subject &subject);

// A destination of `plugin` made with the settings init accepted (set by check_init_destroy_repeated).
std::shared_ptr<Destination> destination_under_test(const Subject &subject, std::shared_ptr<const PluginLibrary> plugin);

// Transforms events_under_test() once per batching mode and returns the first sentence `problem`
// finds in a usable result ("With <mode>, <problem>"); skips when a result is unusable, which
// check_results_readable reports.
Verdict check_each_result(const Subject &subject,
                          const std::function<std::string(const TransformRead &, const BatchingMode &)> &problem);

}  // namespace switchyard::plugin_check
