// Durations and sizes as workspace files and flags write them, and as messages say them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// "250ms", "30s", "90m", "3h", "1d"; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// "512MiB", "1GiB", "64KiB" or a plain number of bytes; nullopt for anything else (or 0).
std::optional<uint64_t> parse_byte_size(std::string_view text);
// "60 s", or "500 ms" when not whole seconds.
std::string describe_duration(std::chrono::milliseconds duration);

}  // namespace switchyard
