// The chaos plugin's rows of the settings table: the fault settings are a table of their own,
// setting name to fault, from which the rows are made.
#include "settings.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

namespace chaos {
namespace {

using nlohmann::json;
using sy::sdk::Setting;
namespace kinds = sy::sdk::kinds;

template <Fault fault>
void store_trigger(Settings &s, const json &v) {
    s.triggers.emplace_back(v.get<std::string>(), fault);
}

constexpr std::array kRows = std::to_array<Setting<Settings>>({
    {{"url", &kinds::kUrl, "", true, false, "Where each request is POSTed: https://, or http:// to a loopback host."},
     [](Settings &s, const json &v) { s.url = v.get<std::string>(); }},
    {{"crashOn", &kinds::kString, "", false, false, "Event name whose transform dies of SIGSEGV."},
     store_trigger<Fault::crash>},
    {{"abortOn", &kinds::kString, "", false, false, "Event name whose transform calls abort()."},
     store_trigger<Fault::abort>},
    {{"sendCrashOn", &kinds::kString, "", false, false,
      "Event name whose request dies of SIGSEGV in send, before anything is POSTed."},
     store_trigger<Fault::send_crash>},
    {{"hangOn", &kinds::kString, "", false, false,
      "Event name whose request blocks send for ever, before anything is POSTed."},
     store_trigger<Fault::hang>},
    {{"leakOn", &kinds::kString, "", false, false,
      "Event name whose transform keeps 64 MiB (every page touched) and never frees it; the event is then "
      "delivered as usual."},
     store_trigger<Fault::leak>},
});

}  // namespace

const sy::sdk::SettingsTable<Settings> &settings_table() {
    static const sy::sdk::SettingsTable<Settings> table("chaos test destination settings", kRows);
    return table;
}

Fault fault_for(const Settings &settings, std::string_view event_name, Stage stage) {
    const auto hit = std::find_if(settings.triggers.begin(), settings.triggers.end(), [&](const auto &trigger) {
        return trigger.first == event_name && stage_of(trigger.second) == stage;
    });
    return hit == settings.triggers.end() ? Fault::none : hit->second;
}

}  // namespace chaos
