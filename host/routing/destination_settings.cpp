// Checking a workspace destination's settings, with the YAML line of each problem.
#include "host/routing/destination_settings.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "host/filtering/filter_settings.h"
#include "host/routing/connection_settings.h"
#include "host/plugin/settings_schema.h"

namespace switchyard {
namespace {

// The line of the place `pointer` names, or of the nearest enclosing place the file has (a
// required setting that is missing: the settings mapping).
int line_of(const DestinationConfig &d, std::string pointer) {
    for (;;) {
        if (auto it = d.settings_lines.find(pointer); it != d.settings_lines.end()) return it->second;
        if (pointer.empty()) return d.origin.line;
        pointer.erase(pointer.rfind('/'));
    }
}

std::string problem_line(const DestinationConfig &d, const std::string &pointer, const std::string &path,
                         const std::string &what) {
    return d.origin.file + ":" + std::to_string(line_of(d, pointer)) + ": " + settings_owner(d) + ": " + path + ": " + what;
}

// "settings.whitelistedEvents[0].eventName" for "/whitelistedEvents/0/eventName".
std::string setting_path(const std::string &pointer) {
    std::string path = "settings";
    size_t at = 0;
    while (at < pointer.size()) {
        const size_t next = std::min(pointer.find('/', at + 1), pointer.size());
        const std::string token = pointer.substr(at + 1, next - at - 1);
        const bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
        path += index ? "[" + token + "]" : "." + token;
        at = next;
    }
    return path;
}

}  // namespace

DestinationFilter read_destination_filter(const DestinationConfig &d) {
    const auto settings = nlohmann::json::parse(d.settings_json, nullptr, false);
    filtering::FilterSettings read = filtering::read_filter_settings(settings);
    DestinationFilter out{std::move(read.filter), {}};
    for (const filtering::FilterSettingProblem &p : read.problems)
        out.problems.push_back(problem_line(d, p.pointer, setting_path(p.pointer), p.what));
    return out;
}

DestinationSettings check_destination_settings(const DestinationConfig &d, const PluginLibrary &plugin) {
    CheckedSettings checked = check_settings(plugin.schema(), d.settings_json);
    std::vector<std::pair<int, std::string>> by_line;  // in file order, as an operator reads them
    for (const SettingProblem &p : checked.problems)
        by_line.emplace_back(line_of(d, p.pointer), settings_owner(d) + ": " + p.path + ": " + p.what);
    std::stable_sort(by_line.begin(), by_line.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    DestinationSettings out{std::move(checked.completed_json), {}};
    for (const auto &[line, what] : by_line) out.problems.push_back(d.origin.file + ":" + std::to_string(line) + ": " + what);
    return out;
}

}  // namespace switchyard
