// `switchyard transformer`: runs `switchyard-transformer` (transformer_main.cpp) in its place with
// the same flags. It is a program of its own so that serving rudder-server costs only what the
// transformer uses: this executable links the ingestion API's HTTP and TLS libraries, the store
// and the YAML parser, which set themselves up when loaded (docs/rudderstack.md).
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <iostream>

#include "host/cli/transformer_flags.h"

namespace switchyard::cli {
namespace {

int run_transformer(const Args &args) {
    const std::filesystem::path program = companion_executable("switchyard-transformer");
    std::vector<std::string> words{program.string()};
    for (const Flag &flag : kTransformerFlags)
        if (const auto value = args.value(flag.name)) words.insert(words.end(), {"--" + std::string(flag.name), *value});
    std::vector<char *> argv;
    argv.reserve(words.size() + 1);
    for (std::string &word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    std::cerr << "switchyard transformer: cannot run " << program.string() << ": " << std::generic_category().message(errno)
              << " (it is installed beside switchyard, or in ../lib/switchyard from it)\n";
    return kExitUsage;
}

}  // namespace

const Command kTransformerCommand{"transformer", kTransformerSummary, kTransformerFlags, run_transformer};

}  // namespace switchyard::cli
