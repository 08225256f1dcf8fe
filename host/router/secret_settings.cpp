// Finding secret settings through the plugin's settings schema.
#include "host/router/secret_settings.h"

#include <nlohmann/json.hpp>

#include "host/log/log.h"

namespace switchyard {

void register_secret_settings(std::string_view settings_schema, std::string_view settings_json) {
    const auto schema = nlohmann::json::parse(settings_schema, nullptr, false);
    const auto settings = nlohmann::json::parse(settings_json, nullptr, false);
    if (!schema.is_object() || !settings.is_object() || !schema.contains("properties")) return;
    const nlohmann::json &properties = schema["properties"];
    if (!properties.is_object()) return;
    for (const auto &[name, property] : properties.items()) {
        const bool secret = property.is_object() && property.contains("writeOnly") && property["writeOnly"] == true;
        if (secret && settings.contains(name) && settings[name].is_string())
            log::add_secret(settings[name].get<std::string>());
    }
}

}  // namespace switchyard
