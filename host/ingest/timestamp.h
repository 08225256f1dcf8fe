// ISO-8601 timestamps as SDKs send them, and the UTC millisecond form the host writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::ingest {

// Milliseconds since the Unix epoch of `text`, which must be `YYYY-MM-DDTHH:MM:SS` with an
// optional fraction (extra digits beyond milliseconds are truncated) and a zone of `Z`,
// `±HH:MM` or `±HHMM`. A space may stand for the `T`. nullopt when it is anything else.
std::optional<int64_t> parse_iso8601_ms(std::string_view text);

// `2024-05-01T08:00:02.740Z`: UTC, always three fraction digits.
std::string format_iso8601_ms(int64_t epoch_ms);

}  // namespace switchyard::ingest
