// Opening a destination from command-line flags, and reading NDJSON events from stdin.
#include "host/cli/destination_flags.h"

#include <iostream>

#include "host/cli/command.h"
#include "host/config/settings_file.h"

namespace switchyard::cli {


namespace {

std::shared_ptr<const PluginLibrary> find_plugin(const Args &args, const std::string &name) {
    const auto dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    const DirectoryLoad loaded = load_plugin_directory(dir);
    for (const auto &plugin : loaded.plugins)
        if (plugin->name() == name) return plugin;
    std::cerr << "switchyard: no plugin named \"" << name << "\" in " << dir.string() << "\n";
    for (const std::string &refusal : loaded.refusals) std::cerr << "  refused: " << refusal << "\n";
    return nullptr;
}

}  // namespace

std::optional<DestinationFlags> open_destination(const Args &args) {
    DestinationFlags out;
    const std::string mode = args.value_or("mode", "processor");
    if (mode != "processor" && mode != "router") {
        std::cerr << "switchyard: --mode must be processor or router, got \"" << mode << "\"\n";
        return std::nullopt;
    }
    out.router_mode = mode == "router";
    auto batch = parse_whole_number(args.value_or("batch", "200"));
    if (!batch || *batch == 0) {
        std::cerr << "switchyard: --batch must be a positive whole number\n";
        return std::nullopt;
    }
    out.batch_size = *batch;
    if (!args.value("plugin") || !args.value("settings")) {
        std::cerr << "switchyard: --plugin and --settings are required\n";
        return std::nullopt;
    }
    auto plugin = find_plugin(args, *args.value("plugin"));
    if (!plugin) return std::nullopt;
    std::string error;
    auto settings = read_settings_file(*args.value("settings"), error);
    if (settings) out.destination = Destination::create(plugin, "cli", *settings, error);
    if (!out.destination) {
        std::cerr << "switchyard: " << error << "\n";
        return std::nullopt;
    }
    return out;
}

void for_each_event_batch(size_t batch_size, const std::function<void(const EventBatch &)> &handle) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> lines;
    std::vector<sy_str_view> events;
    std::string line;
    size_t first_index = 0;
    for (size_t number = 0; std::cin; ++number) {
        lines.clear();
        while (lines.size() < batch_size && std::getline(std::cin, line))
            if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(std::move(line));
        if (lines.empty()) return;
        events.clear();
        for (const std::string &l : lines) events.push_back({l.data(), l.size()});
        handle({events, first_index, number});
        first_index += lines.size();
    }
}

}  // namespace switchyard::cli
