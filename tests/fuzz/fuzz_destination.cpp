// Loading the Iterable plugin for the fuzz targets, through the host's loader.
#include "tests/fuzz/fuzz_destination.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "host/log/log.h"

namespace switchyard::fuzz {

std::shared_ptr<const PluginLibrary> iterable_plugin() {
    static const std::shared_ptr<const PluginLibrary> plugin = [] {
        // The plugin's warnings for odd settings would flood the fuzzer's output.
        log::set_min_level(log::Level::error);
        LoadOutcome loaded = load_plugin(SWITCHYARD_FUZZ_PLUGIN);
        if (!loaded.plugin) contract_broken("cannot load the plugin: " + loaded.refusal);
        return loaded.plugin;
    }();
    return plugin;
}

std::string conformance_file(std::string_view relative) {
    const std::string path = std::string(SWITCHYARD_CONFORMANCE_DIR) + "/iterable/" + std::string(relative);
    std::ifstream in(path);
    if (!in) contract_broken("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void contract_broken(std::string_view what) {
    std::fprintf(stderr, "fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
}

}  // namespace switchyard::fuzz
