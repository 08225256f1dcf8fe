// The chaos plugin's settings: where to POST, and which event names set off which fault.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faults.h"
#include "switchyard/sdk/settings_table.h"

namespace chaos {

struct Settings {
    std::string url;
    // An event whose `event` field equals the name sets off the fault; names absent from the
    // settings set off nothing.
    std::vector<std::pair<std::string, Fault>> triggers;
};

const sy::sdk::SettingsTable<Settings> &settings_table();

// The fault an event named `event_name` sets off at `stage` (Fault::none when none).
Fault fault_for(const Settings &settings, std::string_view event_name, Stage stage);

}  // namespace chaos
