// Flag parsing against a declared table: --name value, --name=value, and switches.
#include "host/cli/args.h"

#include <algorithm>
#include <charconv>

namespace switchyard::cli {
namespace {

const Flag *find_flag(std::span<const Flag> flags, std::string_view name) {
    auto it = std::find_if(flags.begin(), flags.end(), [&](const Flag &f) { return f.name == name; });
    return it == flags.end() ? nullptr : &*it;
}

std::string valid_names(std::span<const Flag> flags) {
    std::string out;
    for (const Flag &f : flags) out += (out.empty() ? "--" : ", --") + std::string(f.name);
    return out.empty() ? "none" : out;
}

}  // namespace

std::optional<std::string> Args::value(std::string_view name) const {
    auto it = values_.find(std::string(name));
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Args::every_value(std::string_view name) const {
    std::vector<std::string> out;
    auto [first, last] = every_value_.equal_range(std::string(name));
    for (auto it = first; it != last; ++it) out.push_back(it->second);
    return out;
}

std::string Args::value_or(std::string_view name, std::string_view fallback) const {
    return value(name).value_or(std::string(fallback));
}

std::optional<Args> Args::parse(std::span<char *const> argv, std::span<const Flag> flags, std::string &error,
                                std::string_view operand) {
    Args args;
    for (size_t i = 0; i < argv.size(); ++i) {
        std::string_view word = argv[i];
        if (word.substr(0, 2) != "--" && !operand.empty() && args.operand_.empty() && !word.empty()) {
            args.operand_ = word;
            continue;
        }
        if (word.substr(0, 2) != "--") {
            error = "unexpected argument \"" + std::string(word) + "\"";
            return std::nullopt;
        }
        word.remove_prefix(2);
        std::optional<std::string> inline_value;
        if (auto eq = word.find('='); eq != std::string_view::npos) {
            inline_value = std::string(word.substr(eq + 1));
            word = word.substr(0, eq);
        }
        const Flag *flag = find_flag(flags, word);
        if (flag == nullptr) {
            error = "unknown flag --" + std::string(word) + " (valid: " + valid_names(flags) + ")";
            return std::nullopt;
        }
        if (flag->value_name.empty()) {
            if (inline_value) {
                error = "flag --" + std::string(word) + " takes no value";
                return std::nullopt;
            }
            args.values_[std::string(word)] = "";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argv.size()) {
                error = "flag --" + std::string(word) + " needs a value (" + std::string(flag->value_name) + ")";
                return std::nullopt;
            }
            inline_value = argv[++i];
        }
        args.values_[std::string(word)] = *inline_value;
        args.every_value_.emplace(std::string(word), *inline_value);
    }
    if (!operand.empty() && args.operand_.empty()) {
        error = "missing " + std::string(operand);
        return std::nullopt;
    }
    return args;
}

std::optional<size_t> parse_whole_number(std::string_view text) {
    size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return n;
}

std::string describe_flags(std::span<const Flag> flags) {
    std::string out;
    for (const Flag &f : flags) {
        std::string left = "  --" + std::string(f.name);
        if (!f.value_name.empty()) left += " " + std::string(f.value_name);
        left.resize(std::max<size_t>(left.size() + 2, 28), ' ');
        out += left + std::string(f.help);
        if (!f.default_text.empty()) out += " (default: " + std::string(f.default_text) + ")";
        out += "\n";
    }
    return out;
}

}  // namespace switchyard::cli
