// `switchyard`: dispatches to a subcommand; prints help and usage errors.
#include <cstdio>
#include <cstring>
#include <iostream>

#include "host/cli/command.h"

namespace switchyard::cli {
namespace {

const Command *const kCommands[] = {&kCheckCommand, &kPluginsCommand, &kTransformCommand, &kSendCommand, &kVersionCommand};

constexpr std::string_view kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the command ran and found problems (a plugin refused, an event failed)\n"
    "  2  usage error or unreadable input; nothing was done\n";

void print_overview() {
    std::cout << "Usage: switchyard <command> [flags]\n\nCommands:\n";
    for (const Command *c : kCommands) {
        std::string name(c->name);
        name.resize(12, ' ');
        std::cout << "  " << name << c->summary << "\n";
    }
    std::cout << "\nRun 'switchyard <command> --help' for a command's flags.\n\n" << kExitCodes;
}

void print_command_help(const Command &c) {
    std::cout << "Usage: switchyard " << c.name << " [flags]\n\n" << c.summary << "\n\nFlags:\n"
              << describe_flags(c.flags) << "  --help                    this text\n\n"
              << kExitCodes;
}

bool wants_help(std::string_view word) { return word == "--help" || word == "-h" || word == "help"; }

int run(int argc, char **argv) {
    if (argc < 2 || wants_help(argv[1])) {
        print_overview();
        return argc < 2 ? kExitUsage : kExitOk;
    }
    for (const Command *c : kCommands) {
        if (c->name != argv[1]) continue;
        std::span<char *const> rest(argv + 2, static_cast<size_t>(argc - 2));
        for (char *word : rest)
            if (wants_help(word)) {
                print_command_help(*c);
                return kExitOk;
            }
        std::string error;
        auto args = Args::parse(rest, c->flags, error);
        if (!args) {
            std::cerr << "switchyard " << c->name << ": " << error << "\n";
            return kExitUsage;
        }
        return c->run(*args);
    }
    std::cerr << "switchyard: unknown command \"" << argv[1] << "\"; run 'switchyard --help'\n";
    return kExitUsage;
}

}  // namespace

std::filesystem::path default_plugin_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path("plugins") : exe.parent_path() / "plugins";
}

}  // namespace switchyard::cli

int main(int argc, char **argv) {
    try {
        return switchyard::cli::run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "switchyard: " << e.what() << "\n";
        return switchyard::cli::kExitUsage;
    }
}
