// Loading the Iterable plugin for the fuzz targets, through the host's loader.
#include "tests/fuzz/fuzz_destination.h"

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "host/log/log.h"
#include "tests/data/conformance_data.h"

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
    try {
        return conformance_data::read("iterable/" + std::string(relative));
    } catch (const std::exception &e) {
        contract_broken(e.what());
    }
}

void contract_broken(std::string_view what) {
    std::fprintf(stderr, "fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
}

}  // namespace switchyard::fuzz
