// Fuzzes the workspace YAML loader: the input is the text of the one workspace file in a
// config directory read by load_config_dir, with ${NAME} resolved from a fixed environment.
// Every problem must name the file; every loaded destination's settings must be a JSON object.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "host/config/workspace.h"

namespace {

std::filesystem::path *config_dir = nullptr;
std::filesystem::path *workspace_file = nullptr;

// Names starting with A-M are set; others are missing (the error path).
std::optional<std::string> fuzz_env(const std::string &name) {
    if (!name.empty() && name[0] >= 'A' && name[0] <= 'M') return "value-of-" + name;
    return std::nullopt;
}

[[noreturn]] void contract_broken(const std::string &what) {
    std::fprintf(stderr, "fuzz: %s\n", what.c_str());
    std::abort();
}

void check(const switchyard::ConfigLoad &load) {
    const std::string prefix = workspace_file->string() + ":";
    for (const std::string &problem : load.problems)
        if (!problem.starts_with(prefix)) contract_broken("a problem that does not name the file: " + problem);
    for (const switchyard::DestinationConfig &destination : load.config.destinations) {
        const nlohmann::json settings = nlohmann::json::parse(destination.settings_json, nullptr, false);
        if (!settings.is_object()) contract_broken("settings that are not a JSON object: " + destination.settings_json);
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    // The loader reads a directory; a private one (in memory when /dev/shm exists).
    const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    config_dir = new std::filesystem::path(base / ("switchyard-workspace-fuzz-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*config_dir);
    workspace_file = new std::filesystem::path(*config_dir / "workspace.yaml");
    std::atexit([] { std::filesystem::remove_all(*config_dir); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (std::FILE *file = std::fopen(workspace_file->c_str(), "wb")) {
        std::fwrite(data, 1, size, file);
        std::fclose(file);
    } else {
        contract_broken("cannot write " + workspace_file->string());
    }
    check(switchyard::load_config_dir(*config_dir, fuzz_env));
    return 0;
}
