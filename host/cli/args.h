// Command-line flags: each subcommand declares its flags as a table; parsing checks them.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::cli {

// Exit codes shared by every subcommand (documented in `switchyard --help` and README).
enum ExitCode : int {
    kExitOk = 0,        // everything succeeded
    kExitProblems = 1,  // the command ran and found problems (refused plugins, failed events)
    kExitUsage = 2,     // bad flags or unreadable input: nothing was done
};

struct Flag {
    std::string_view name;         // without the leading "--"
    std::string_view value_name;   // empty for a switch that takes no value
    std::string_view help;
    std::string_view default_text;  // shown in help; empty when none
};

class Args {
   public:
    // A flag given twice keeps its last value here; every_value() has them all, in order.
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> every_value(std::string_view name) const;
    std::string value_or(std::string_view name, std::string_view fallback) const;
    bool has(std::string_view name) const { return values_.contains(std::string(name)); }
    // The word given besides the flags, for a command that takes one; empty when none.
    const std::string &operand() const { return operand_; }

    // Parses argv against `flags`, and at most one word that is not a flag when `operand` names it
    // (for help and errors); on failure returns nullopt and sets `error` to one sentence.
    static std::optional<Args> parse(std::span<char *const> argv, std::span<const Flag> flags, std::string &error,
                                     std::string_view operand = {});

   private:
    std::map<std::string, std::string> values_;
    std::multimap<std::string, std::string> every_value_;
    std::string operand_;
};

// A whole number >= 0 written in decimal, or nullopt.
std::optional<size_t> parse_whole_number(std::string_view text);

// The help block listing `flags`.
std::string describe_flags(std::span<const Flag> flags);

}  // namespace switchyard::cli
