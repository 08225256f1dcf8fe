// One-line structured logs (logfmt or JSON) on stderr, with known secrets redacted from every line.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "host/log/line_format.h"

namespace switchyard::log {

// Writes one line: `ts=... level=... component=... msg="..." key="value"...` in logfmt, or
// the same as one JSON object. Thread-safe.
void write(Level level, std::string_view component, std::string_view message, std::span<const Field> fields = {});

inline void debug(std::string_view component, std::string_view message) { write(Level::debug, component, message); }
inline void info(std::string_view component, std::string_view message) { write(Level::info, component, message); }
inline void warn(std::string_view component, std::string_view message) { write(Level::warn, component, message); }
inline void error(std::string_view component, std::string_view message) { write(Level::error, component, message); }

// Every later line has each occurrence of `secret` replaced by "[redacted]".
// Values shorter than 4 bytes are ignored (they would redact ordinary words).
void add_secret(std::string_view secret);

// Lines below this level are dropped (default: info).
void set_min_level(Level level);

// The format of every later line (default: logfmt).
void set_format(Format format);

// The redaction applied to every line; also for text shown elsewhere (admin answers).
std::string redact(std::string_view text);

}  // namespace switchyard::log
