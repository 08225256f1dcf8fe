// Instances by destination ID and config (see destination_cache.h).
#include "host/transformer/destination_cache.h"

#include <functional>
#include <regex>

#include <nlohmann/json.hpp>

#include "host/plugin/settings_schema.h"
#include "host/routing/secret_settings.h"

namespace switchyard::transformer {
namespace {

using nlohmann::json;

bool schema_knows(const json &schema, const std::string &key) {
    if (schema.contains("properties") && schema["properties"].contains(key)) return true;
    if (!schema.contains("patternProperties")) return false;
    for (const auto &[pattern, _] : schema["patternProperties"].items())
        if (std::regex_search(key, std::regex(pattern))) return true;
    return false;
}

// The part of a RudderStack Config the plugin takes, or a refusal.
std::string known_settings(const PluginLibrary &plugin, std::string_view config, std::string &refusal) {
    const json parsed = json::parse(config, nullptr, false);
    if (!parsed.is_object()) {
        refusal = "destination.Config must be a JSON object.";
        return {};
    }
    const json schema = json::parse(plugin.settings_schema(), nullptr, false);
    if (!schema.is_object() || schema.value("additionalProperties", json(true)) != json(false)) return parsed.dump();
    json known = json::object();
    for (const auto &[key, value] : parsed.items())
        if (schema_knows(schema, key)) known[key] = value;
    return known.dump();
}

// The plugin's own sentence, without the loader's "<file>: init refused: " prefix.
std::string init_refusal(const std::string &error) {
    constexpr std::string_view kMarker = "init refused: ";
    const size_t at = error.find(kMarker);
    return at == std::string::npos ? error : error.substr(at + kMarker.size());
}

}  // namespace

Instance make_instance(const std::shared_ptr<const PluginLibrary> &plugin, const std::string &destination_id,
                       std::string_view config) {
    Instance made;
    const std::string settings = known_settings(*plugin, config, made.refusal);
    if (!made.refusal.empty()) return made;
    const CheckedSettings checked = check_settings(plugin->schema(), settings);
    if (!checked.problems.empty()) {
        made.refusal = problems_sentence(checked.problems);
        return made;
    }
    // Before init: whatever the plugin logs about these settings is redacted from then on.
    register_secret_settings(plugin->schema(), checked.completed_json);
    std::string error;
    made.destination = Destination::create(plugin, destination_id, checked.completed_json, error);
    if (!made.destination) made.refusal = init_refusal(error);
    return made;
}

Instance DestinationCache::get(const std::shared_ptr<const PluginLibrary> &plugin, const std::string &destination_id,
                               std::string_view config) {
    const std::string key = plugin->name() + "/" + destination_id;
    const size_t hash = std::hash<std::string_view>{}(config);
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.config_hash == hash && it->second.config == config)
            return it->second.instance;
    }
    // Made outside the lock: a slow init must not hold up the other destinations' calls.
    Instance made = make_instance(plugin, destination_id, config);
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxInstances && !entries_.contains(key)) entries_.erase(entries_.begin());
    entries_[key] = Entry{hash, std::string(config), made};
    return made;
}

}  // namespace switchyard::transformer
