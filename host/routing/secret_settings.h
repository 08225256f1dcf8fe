// Destination settings that are secrets (API keys): their values are registered with the log,
// so no log line or answer shows them, whatever a plugin or a destination's answer quotes.
#pragma once

#include <string_view>

#include "host/plugin/settings_schema.h"

namespace switchyard {

// Registers the value of every setting of `settings_json`, at any depth, that the plugin's JSON
// Schema marks secret (settings_schema.h: "x-secret": true or "writeOnly": true). Unparsable
// input registers nothing.
void register_secret_settings(const SettingsSchema &schema, std::string_view settings_json);
// The same from the schema's text; an unusable schema registers nothing.
void register_secret_settings(std::string_view settings_schema, std::string_view settings_json);

}  // namespace switchyard
