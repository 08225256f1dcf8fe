// Environment references and durations in configuration values.
#include "host/config/env_expand.h"

#include <charconv>
#include <limits>
#include <regex>

namespace switchyard {

std::optional<std::string> expand_env(std::string_view text, const EnvLookup &env, std::string &error) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        const size_t start = text.find("${", at);
        if (start == std::string_view::npos) break;
        if (start > 0 && text[start - 1] == '$') {  // "$${" escapes a literal "${"
            out.append(text.substr(at, start - 1 - at)).append("${");
            at = start + 2;
            continue;
        }
        const size_t end = text.find('}', start);
        if (end == std::string_view::npos) {
            error = "unclosed \"${\" reference";
            return std::nullopt;
        }
        const std::string name(text.substr(start + 2, end - start - 2));
        auto value = env(name);
        if (!value) {
            error = "environment variable " + name + " is not set";
            return std::nullopt;
        }
        out.append(text.substr(at, start - at)).append(*value);
        at = end + 1;
    }
    out.append(text.substr(std::min(at, text.size())));
    return out;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    static const std::regex kDuration(R"(([0-9]+)(ms|s|m|h|d))");
    std::cmatch m;
    if (!std::regex_match(text.begin(), text.end(), m, kDuration)) return std::nullopt;
    long long n = 0;
    if (std::from_chars(m[1].first, m[1].second, n).ec != std::errc()) return std::nullopt;  // past int64
    const std::string unit = m[2].str();
    const long long ms_per_unit = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : 86'400'000;
    if (n > std::numeric_limits<long long>::max() / ms_per_unit) return std::nullopt;  // past the milliseconds' range
    return std::chrono::milliseconds(n * ms_per_unit);
}

}  // namespace switchyard
