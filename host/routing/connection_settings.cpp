// Merging a source's override into a destination's settings, lines included.
#include "host/routing/connection_settings.h"

#include <set>

#include <nlohmann/json.hpp>

namespace switchyard {
namespace {

// "/blacklistedEvents" of "/blacklistedEvents/0/eventName": the top-level key a line belongs to.
std::string top_level(const std::string &pointer) { return pointer.substr(0, pointer.find('/', 1)); }

}  // namespace

DestinationConfig merge_connection_settings(const DestinationConfig &destination, const std::string &source_id,
                                            const ConnectionOverride &override_of) {
    DestinationConfig merged = destination;
    merged.source = source_id;
    merged.origin = override_of.origin;
    auto settings = nlohmann::json::parse(destination.settings_json, nullptr, false);
    const auto overriding = nlohmann::json::parse(override_of.settings_json, nullptr, false);
    if (!settings.is_object() || !overriding.is_object()) return merged;  // the loader wrote both: objects
    settings.update(overriding);  // top-level keys replaced whole
    merged.settings_json = settings.dump();

    std::set<std::string> overridden;
    for (const auto &[pointer, line] : override_of.settings_lines)
        if (!pointer.empty()) overridden.insert(top_level(pointer));
    merged.settings_lines.clear();
    for (const auto &[pointer, line] : destination.settings_lines)
        if (!pointer.empty() && !overridden.contains(top_level(pointer))) merged.settings_lines.emplace(pointer, line);
    for (const auto &[pointer, line] : override_of.settings_lines) merged.settings_lines.emplace(pointer, line);
    return merged;
}

std::string settings_owner(const DestinationConfig &settings) {
    std::string owner = "destination \"" + settings.id + "\"";
    if (!settings.source.empty()) owner += " (source \"" + settings.source + "\")";
    return owner;
}

}  // namespace switchyard
