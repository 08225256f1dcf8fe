// `switchyard plugin-check FILE.so`: loads one plugin and checks what the ABI promises, one line
// per check (host/plugin_check/), without sending anything.
#include <fstream>
#include <iostream>

#include "host/cli/command.h"
#include "host/config/settings_file.h"
#include "host/plugin_check/run_checks.h"

namespace switchyard::cli {
namespace {

const Flag kFlags[] = {
    {"settings", "FILE", "settings init accepts (JSON or YAML); also checks that init refuses {}", "{}"},
    {"events", "FILE", "NDJSON messages to transform besides the built-in samples of every type", ""},
};

// The non-blank lines of `file`, or nullopt with `error` naming the file.
std::optional<std::vector<std::string>> read_event_lines(const std::filesystem::path &file, std::string &error) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = "cannot read --events file " + file.string();
        return std::nullopt;
    }
    std::vector<std::string> events;
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) events.push_back(line);
    return events;
}

// The subject of the checks from the command line; nullopt with `error` when unusable.
std::optional<plugin_check::Subject> subject_from(const Args &args, std::string &error) {
    plugin_check::Subject subject;
    subject.file = args.operand();
    if (!std::filesystem::is_regular_file(subject.file)) {
        error = subject.file.string() + " is not a file";
        return std::nullopt;
    }
    if (const auto settings_file = args.value("settings")) {
        subject.given_settings = read_settings_file(*settings_file, error);
        if (!subject.given_settings) return std::nullopt;
    }
    if (const auto events_file = args.value("events")) {
        auto events = read_event_lines(*events_file, error);
        if (!events) return std::nullopt;
        subject.given_events = std::move(*events);
    }
    return subject;
}

int run_plugin_check(const Args &args) {
    std::string error;
    auto subject = subject_from(args, error);
    if (!subject) {
        std::cerr << "switchyard plugin-check: " << error << "\n";
        return kExitUsage;
    }
    return plugin_check::run_checks(*subject, std::cout) ? kExitOk : kExitProblems;
}

}  // namespace

const Command kPluginCheckCommand{"plugin-check",
                                  "Load one plugin and check what the ABI promises, one line per check (sends nothing).",
                                  kFlags, run_plugin_check, "FILE.so"};

}  // namespace switchyard::cli
