// Timestamps as RFC 3339 UTC text with milliseconds ("2023-11-14T22:13:20.123Z"), for log
// lines and operator answers alike.
#pragma once

#include <cstdint>
#include <string>

namespace switchyard::log {

std::string rfc3339_utc(int64_t unix_ms);

int64_t unix_now_ms();

}  // namespace switchyard::log
