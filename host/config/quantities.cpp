// Reading and writing durations and sizes, without std::regex (it recurses once per character).
#include "host/config/quantities.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace switchyard {

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

std::optional<uint64_t> parse_byte_size(std::string_view text) {
    const size_t digits = std::min(text.find_first_not_of("0123456789"), text.size());
    const std::string_view unit = text.substr(digits);
    const int shift = unit.empty() ? 0 : unit == "KiB" ? 10 : unit == "MiB" ? 20 : unit == "GiB" ? 30 : unit == "TiB" ? 40 : -1;
    uint64_t n = 0;
    if (digits == 0 || shift < 0 || std::from_chars(text.data(), text.data() + digits, n).ec != std::errc() || n == 0)
        return std::nullopt;
    if (n > (std::numeric_limits<uint64_t>::max() >> shift)) return std::nullopt;
    return n << shift;
}

std::string describe_duration(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace switchyard
