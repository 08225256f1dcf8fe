// `switchyard`: dispatches to a subcommand; prints help and usage errors.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "host/cli/command.h"

namespace switchyard::cli {
namespace {

const Command *const kCommands[] = {&kServeCommand,          &kCheckCommand,           &kVerifyCommand,
                                    &kPluginsCommand,        &kPluginCheckCommand,     &kTransformCommand,
                                    &kSendCommand,           &kTransformerCommand,     &kDeadLetterListCommand,
                                    &kDeadLetterReplayCommand, &kDeadLetterPurgeCommand, &kRegulationAddCommand,
                                    &kRegulationListCommand, &kVersionCommand};

constexpr std::string_view kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the command ran and found problems (a plugin refused, an event failed)\n"
    "  2  usage error or unreadable input; nothing was done\n";

void print_overview() {
    std::cout << "Usage: switchyard <command> [flags]\n\nCommands:\n";
    size_t width = 12;
    for (const Command *c : kCommands) width = std::max(width, c->name.size() + 2);
    for (const Command *c : kCommands) {
        std::string name(c->name);
        name.resize(width, ' ');
        std::cout << "  " << name << c->summary << "\n";
    }
    std::cout << "\nRun 'switchyard <command> --help' for a command's flags; 'switchyard --version' (-V) is 'version'.\n\n"
              << kExitCodes;
}

void print_command_help(const Command &c) {
    std::cout << "Usage: switchyard " << c.name << (c.operand.empty() ? "" : " ") << c.operand << " [flags]\n\n"
              << c.summary << "\n\nFlags:\n"
              << describe_flags(c.flags) << "  --help                    this text\n\n"
              << kExitCodes;
}

bool wants_help(std::string_view word) { return word == "--help" || word == "-h" || word == "help"; }
bool wants_version(std::string_view word) { return word == "--version" || word == "-V"; }

// How many words of the command line name `c`: a name may be two words ("dead-letter list").
// 0 when they do not name it.
size_t words_naming(const Command &c, int argc, char **argv) {
    const std::string_view name = c.name;
    const size_t space = name.find(' ');
    if (space == std::string_view::npos) return name == argv[1] ? 1 : 0;
    return name.substr(0, space) == argv[1] && argc > 2 && name.substr(space + 1) == argv[2] ? 2 : 0;
}

// For "switchyard dead-letter" without its second word: the words that may follow.
std::string second_words(std::string_view first) {
    const std::string prefix = std::string(first) + " ";
    std::string out;
    for (const Command *c : kCommands)
        if (c->name.starts_with(prefix)) out += (out.empty() ? "" : ", ") + std::string(c->name.substr(prefix.size()));
    return out;
}

int run(int argc, char **argv) {
    if (argc < 2 || wants_help(argv[1])) {
        print_overview();
        return argc < 2 ? kExitUsage : kExitOk;
    }
    if (wants_version(argv[1])) return kVersionCommand.run(Args{});
    for (const Command *c : kCommands) {
        const size_t words = words_naming(*c, argc, argv);
        if (words == 0) continue;
        std::span<char *const> rest(argv + 1 + words, static_cast<size_t>(argc - 1) - words);
        for (char *word : rest)
            if (wants_help(word)) {
                print_command_help(*c);
                return kExitOk;
            }
        std::string error;
        auto args = Args::parse(rest, c->flags, error, c->operand);
        if (!args) {
            std::cerr << "switchyard " << c->name << ": " << error << "\n";
            return kExitUsage;
        }
        return c->run(*args);
    }
    if (const std::string expected = second_words(argv[1]); !expected.empty()) {
        std::cerr << "switchyard " << argv[1] << ": expected one of: " << expected << "\n";
        return kExitUsage;
    }
    std::cerr << "switchyard: unknown command \"" << argv[1] << "\"; run 'switchyard --help'\n";
    return kExitUsage;
}

}  // namespace

}  // namespace switchyard::cli

int main(int argc, char **argv) {
    try {
        return switchyard::cli::run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "switchyard: " << e.what() << "\n";
        return switchyard::cli::kExitUsage;
    }
}
