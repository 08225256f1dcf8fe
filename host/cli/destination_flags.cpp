// Opening a destination from command-line flags, and reading NDJSON events from stdin.
#include "host/cli/destination_flags.h"

#include <cstdio>
#include <iostream>

#include "host/cli/command.h"
#include "host/config/settings_file.h"
#include "host/isolation/load_probe.h"
#include "host/log/log.h"
#include "host/plugin/settings_schema.h"
#include "host/routing/secret_settings.h"

namespace switchyard::cli {

namespace {

std::shared_ptr<const PluginLibrary> find_plugin(const Args &args, const std::string &name) {
    const auto dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    const DirectoryLoad loaded = load_plugin_directory_probed(dir);
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
    if (settings) {
        register_secret_settings(plugin->schema(), *settings);  // before init can quote them
        const CheckedSettings checked = check_settings(plugin->schema(), *settings);
        if (checked.problems.empty()) out.destination = Destination::create(plugin, "cli", checked.completed_json, error);
        else error = *args.value("settings") + ": " + problems_sentence(checked.problems);
    }
    if (!out.destination) {
        std::cerr << "switchyard: " << log::redact(error) << "\n";
        return std::nullopt;
    }
    return out;
}

namespace {

constexpr size_t kReadChunk = size_t{256} * 1024;

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

// Lines are read in large chunks and handed to the plugin as views into the buffer: no copy
// per event on this hot path.
void for_each_event_batch(size_t batch_size, const std::function<void(const EventBatch &)> &handle) {
    std::string buffer;
    std::vector<std::pair<size_t, size_t>> lines;  // [begin, end) offsets of the batch's lines
    std::vector<sy_str_view> events;
    size_t line_start = 0, first_index = 0, number = 0;
    bool at_end = false;
    auto add_line = [&](size_t begin, size_t end) {
        if (end > begin && buffer[end - 1] == '\r') --end;
        if (!is_blank(std::string_view(buffer).substr(begin, end - begin))) lines.emplace_back(begin, end);
    };
    auto flush = [&] {
        events.clear();
        for (const auto &[begin, end] : lines) events.push_back({buffer.data() + begin, end - begin});
        handle({events, first_index, number++});
        first_index += lines.size();
        lines.clear();
        if (line_start > buffer.size() / 2) {  // compact now and then, not after every batch
            buffer.erase(0, line_start);
            line_start = 0;
        }
    };
    std::vector<char> chunk(kReadChunk);
    while (true) {
        for (size_t nl; lines.size() < batch_size && (nl = buffer.find('\n', line_start)) != std::string::npos;
             line_start = nl + 1)
            add_line(line_start, nl);
        if (lines.size() == batch_size) {
            flush();
            continue;
        }
        if (at_end) {
            if (line_start < buffer.size()) add_line(line_start, buffer.size());
            line_start = buffer.size();
            if (!lines.empty()) flush();
            return;
        }
        const size_t n = std::fread(chunk.data(), 1, chunk.size(), stdin);
        if (n == 0) at_end = true;
        buffer.append(chunk.data(), n);
    }
}

}  // namespace switchyard::cli
