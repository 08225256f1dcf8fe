// Registering secret settings with the log; the schema says which they are (settings_schema.h).
#include "host/routing/secret_settings.h"

#include <nlohmann/json.hpp>

#include "host/log/log.h"
#include "host/plugin/settings_schema.h"

namespace switchyard {

void register_secret_settings(const SettingsSchema &schema, std::string_view settings_json) {
    const auto settings = nlohmann::json::parse(settings_json, nullptr, false);
    if (settings.is_discarded()) return;
    for (const std::string &value : schema.secret_values(settings)) log::add_secret(value);
}

void register_secret_settings(std::string_view settings_schema, std::string_view settings_json) {
    std::string unusable;
    if (const auto schema = SettingsSchema::parse(settings_schema, unusable))
        register_secret_settings(*schema, settings_json);
}

}  // namespace switchyard
