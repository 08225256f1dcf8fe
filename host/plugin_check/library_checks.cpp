// The checks on the file and its life in memory: no STB_GNU_UNIQUE symbol, the loader's verdict,
// and nothing of it left mapped once unloaded.
#include <fstream>

#include "host/isolation/load_probe.h"
#include "host/plugin/elf_check.h"
#include "host/plugin_check/checks.h"
#include "host/routing/secret_settings.h"

namespace switchyard::plugin_check {
namespace {

// The lines of /proc/self/maps that map `file`.
size_t mappings_of(const std::filesystem::path &file) {
    std::ifstream maps("/proc/self/maps");
    size_t count = 0;
    for (std::string line; std::getline(maps, line);) {
        const size_t slash = line.find('/');
        if (slash != std::string::npos && std::string_view(line).substr(slash) == file.string()) ++count;
    }
    return count;
}

}  // namespace

Verdict check_no_gnu_unique(Subject &subject) {
    const std::string symbol = gnu_unique_symbol(subject.file);
    if (symbol.empty()) return passed();
    return failed(subject.file.string() + " defines the STB_GNU_UNIQUE symbol \"" + symbol +
                  "\", so glibc could never unload it; build it with -fno-gnu-unique (switchyard_add_plugin sets it).");
}

Verdict check_loads(Subject &subject) {
    LoadOutcome loaded = load_plugin_probed(subject.file);
    if (!loaded.plugin) return failed("The loader refused it: " + loaded.refusal + ".");
    subject.plugin = std::move(loaded.plugin);
    // Before init can quote them: every line plugin-check prints is redacted (run_checks.cpp).
    if (subject.given_settings) register_secret_settings(subject.plugin->schema(), *subject.given_settings);
    return passed();
}

Verdict check_unload_leaves_no_mapping(Subject &subject) {
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(subject.file, ec);
    if (ec)
        return failed("Cannot resolve " + subject.file.string() + " to look for its mappings: " + ec.message() + ".");
    if (mappings_of(real) == 0)
        return failed(real.string() + " is not in /proc/self/maps while loaded, so this check cannot see an unload.");
    subject.plugin.reset();  // the last reference: every destination of the earlier checks is gone
    // cppcheck-suppress knownConditionTrueFalse ; the maps changed: the reset above unloaded the file
    if (const size_t left = mappings_of(real); left > 0)
        return failed(real.string() + " is still mapped (" + std::to_string(left) +
                      " mappings in /proc/self/maps) after its last reference was dropped; a reloaded plugin would "
                      "pile up copies (a thread it started, a thread_local with a destructor, or RTLD_NODELETE?).");
    return passed();
}

}  // namespace switchyard::plugin_check
