// Checking a workspace destination's settings, with the YAML line of each problem.
#include "host/routing/destination_settings.h"

#include <algorithm>

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

}  // namespace

DestinationSettings check_destination_settings(const DestinationConfig &d, const PluginLibrary &plugin) {
    CheckedSettings checked = check_settings(plugin.settings_schema(), d.settings_json);
    std::vector<std::pair<int, std::string>> by_line;  // in file order, as an operator reads them
    for (const SettingProblem &p : checked.problems)
        by_line.emplace_back(line_of(d, p.pointer), "destination \"" + d.id + "\": " + p.path + ": " + p.what);
    std::stable_sort(by_line.begin(), by_line.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    DestinationSettings out{std::move(checked.completed_json), {}};
    for (const auto &[line, what] : by_line) out.problems.push_back(d.origin.file + ":" + std::to_string(line) + ": " + what);
    return out;
}

}  // namespace switchyard
