// A plugin's description, section by section (see plugin_description.h).
#include "host/cli/plugin_description.h"

#include <string>

#include "host/plugin/settings_reference.h"

namespace switchyard::cli {
namespace {

void describe_settings(std::ostream &out, const PluginLibrary &plugin) {
    // The loader refused every plugin whose schema is not JSON.
    const auto schema = nlohmann::json::parse(plugin.settings_schema(), nullptr, false);
    print_settings_reference(out, settings_reference(schema));
}

// "identify, track" or "every type".
void describe_message_types(std::ostream &out, const PluginLibrary &plugin) {
    const auto &declared = plugin.message_types().declared();
    if (!declared) {
        out << "every type\n";
        return;
    }
    for (size_t i = 0; i < declared->size(); ++i) out << (i == 0 ? "" : ", ") << (*declared)[i];
    out << "  (the host skips other types before transform)\n";
}

void describe_batching(std::ostream &out, const PluginLibrary &plugin) {
    const uint32_t events = plugin.max_events_per_request();
    out << (events == 1 ? "one event per request (never batches)" : "up to " + std::to_string(events) + " events per request");
    const uint64_t bytes = plugin.table().max_body_bytes;
    out << "; " << (bytes == 0 ? std::string("no body size limit declared") : "bodies up to " + std::to_string(bytes) + " bytes")
        << "\n";
}

struct Section {
    const char *title;
    void (*print)(std::ostream &, const PluginLibrary &);
};

// In the order printed.
constexpr Section kSections[] = {
    {"Message types", describe_message_types},
    {"Batching", describe_batching},
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
