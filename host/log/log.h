// One-line structured logs (logfmt) on stderr, with known secrets redacted from every line.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::log {

enum class Level { debug, info, warn, error };

// Writes `ts=... level=... component=... msg="..."`. Thread-safe.
void write(Level level, std::string_view component, std::string_view message);

inline void info(std::string_view component, std::string_view message) { write(Level::info, component, message); }
inline void warn(std::string_view component, std::string_view message) { write(Level::warn, component, message); }
inline void error(std::string_view component, std::string_view message) { write(Level::error, component, message); }

// Every later line has each occurrence of `secret` replaced by "[redacted]".
// Values shorter than 4 bytes are ignored (they would redact ordinary words).
void add_secret(std::string_view secret);

// Lines below this level are dropped (default: info).
void set_min_level(Level level);

// The redaction applied to every line; exposed for tests.
std::string redact(std::string_view text);

}  // namespace switchyard::log
