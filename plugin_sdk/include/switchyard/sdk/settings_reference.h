// A settings table rendered for tools and people: the JSON Schema a plugin exports as
// sy_plugin.settings_schema, and the Markdown table of its README.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "switchyard/sdk/settings_spec.h"

namespace sy::sdk {

std::string settings_schema_json(std::string_view title, std::span<const SettingSpec> specs);
std::string settings_markdown(std::span<const SettingSpec> specs);

}  // namespace sy::sdk
