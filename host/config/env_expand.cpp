// Environment references and durations in configuration values.
#include "host/config/env_expand.h"

#include <algorithm>
#include <charconv>
#include <limits>

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
    // [0-9]+(ms|s|m|h|d), without std::regex: it recurses once per character (stack overflow).
    const size_t digits = std::min(text.find_first_not_of("0123456789"), text.size());
    const std::string_view unit = text.substr(digits);
    const long long ms_per_unit = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000
                                  : unit == "d" ? 86'400'000 : 0;
    if (digits == 0 || ms_per_unit == 0) return std::nullopt;
    long long n = 0;
    if (std::from_chars(text.data(), text.data() + digits, n).ec != std::errc()) return std::nullopt;  // past int64
    if (n > std::numeric_limits<long long>::max() / ms_per_unit) return std::nullopt;  // past the milliseconds' range
    return std::chrono::milliseconds(n * ms_per_unit);
}

}  // namespace switchyard
