// The contract checks of `switchyard plugin-check`: each one small function over the plugin under
// test, returning whether it held and, if not, one sentence saying what the plugin did wrong.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// The built-in sample events followed by --events: what the transform checks transform.
std::vector<std::string> events_under_test(const Subject &subject);

}  // namespace switchyard::plugin_check
