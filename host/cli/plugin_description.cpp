// A plugin's description, section by section (see plugin_description.h).
#include "host/cli/plugin_description.h"

#include "host/plugin/settings_reference.h"

namespace switchyard::cli {
namespace {

void describe_settings(std::ostream &out, const PluginLibrary &plugin) {
    // The loader refused every plugin whose schema is not JSON.
    const auto schema = nlohmann::json::parse(plugin.settings_schema(), nullptr, false);
    print_settings_reference(out, settings_reference(schema));
}

struct Section {
    const char *title;
    void (*print)(std::ostream &, const PluginLibrary &);
};

// In the order printed. What the plugin declares beside its settings (message types, batch
// limits) goes here as more sections.
constexpr Section kSections[] = {
    {"Settings", describe_settings},
};

}  // namespace

void describe_plugin(std::ostream &out, const PluginLibrary &plugin) {
    out << plugin.name() << " " << plugin.version() << " (plugin ABI " << plugin.abi_major() << "." << plugin.abi_minor()
        << ", " << plugin.path().string() << ")\n";
    for (const Section &section : kSections) {
        out << "\n" << section.title << ":\n";
        section.print(out, plugin);
    }
}

}  // namespace switchyard::cli
