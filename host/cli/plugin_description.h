// `switchyard plugins --describe NAME`: what an operator needs to configure one plugin.
#pragma once

#include <ostream>

#include "host/plugin/plugin_library.h"

namespace switchyard::cli {

void describe_plugin(std::ostream &out, const PluginLibrary &plugin);

}  // namespace switchyard::cli
