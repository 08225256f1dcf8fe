// The list of checks, as data: what each one proves, what it needs, and the function doing it.
#include "host/plugin_check/run_checks.h"

#include <string_view>

#include "host/log/log.h"

namespace switchyard::plugin_check {
namespace {

enum class Needs { file, plugin, instance };

struct Check {
    std::string_view what;
    Needs needs;
    Verdict (*run)(Subject &);
};

// In order: later checks use what earlier ones established (a loaded plugin, accepted settings),
// and the unload check comes last, when nothing of the plugin is held any more.
constexpr Check kChecks[] = {
    {"no STB_GNU_UNIQUE symbols", Needs::file, check_no_gnu_unique},
    {"the loader accepts the file", Needs::file, check_loads},
    {"table fields (struct_size, ABI version, name, version, required hooks, message_types)", Needs::plugin, check_table_fields},
    {"settings schema is a JSON Schema object", Needs::plugin, check_settings_schema},
    {"init refuses {} with a sentence", Needs::plugin, check_init_refuses_empty},
    {"init refuses settings that are not a JSON object, with a sentence", Needs::plugin, check_init_refuses_garbage},
    {"init/destroy 50 times", Needs::plugin, check_init_destroy_repeated},
    {"transform of every message type from 8 threads at once gives identical results", Needs::instance,
     check_transform_deterministic},
    {"transform results are readable (every element carries its struct_size)", Needs::instance,
     check_results_readable},
    {"every event index is in a request or in exactly one error", Needs::instance, check_event_coverage},
    {"every request has a kind", Needs::instance, check_request_kinds},
    {"no request exceeds max_events_per_request or max_body_bytes", Needs::instance, check_batch_limits},
    {"every event error has an outcome (SY_ABORT, SY_RETRY or SY_SKIPPED)", Needs::instance, check_error_outcomes},
    {"every result is released exactly once", Needs::instance, check_results_released_once},
    {"unload leaves no mapping", Needs::plugin, check_unload_leaves_no_mapping},
};

// Empty when `subject` has what `needs` asks for; else why the check cannot run.
std::string_view missing(const Subject &subject, Needs needs) {
    if (needs != Needs::file && !subject.plugin) return "the plugin did not load";
    if (needs == Needs::instance && !subject.settings) return "init accepted no settings";
    return {};
}

Verdict run_one(const Check &check, Subject &subject) {
    try {
        return check.run(subject);
    } catch (const std::exception &e) {
        return failed("The check \"" + std::string(check.what) + "\" could not run: " + e.what() + ".");
    }
}

}  // namespace

bool run_checks(Subject &subject, std::ostream &out) {
    bool all_held = true;
    for (const Check &check : kChecks) {
        if (const std::string_view why = missing(subject, check.needs); !why.empty()) {
            out << "skip " << check.what << ": " << why << "\n";
            continue;
        }
        const Verdict verdict = run_one(check, subject);
        if (verdict.kind == Verdict::Kind::ok) out << "ok " << check.what << "\n";
        if (verdict.kind == Verdict::Kind::skip)
            out << "skip " << check.what << ": " << log::redact(verdict.sentence) << "\n";
        if (verdict.kind == Verdict::Kind::fail) out << "FAIL: " << log::redact(verdict.sentence) << "\n";
        all_held = all_held && verdict.kind != Verdict::Kind::fail;
        out.flush();
    }
    return all_held;
}

}  // namespace switchyard::plugin_check
