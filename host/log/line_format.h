// How one log line is written: logfmt or JSON (one object per line), from its parts.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::log {

enum class Level { debug, info, warn, error };
enum class Format { logfmt, json };

// A structured field after the message: `key=value` in logfmt, `"key":"value"` in JSON.
struct Field {
    std::string_view key;
    std::string value;
};

struct LineParts {
    std::string_view ts;  // RFC 3339 UTC
    Level level = Level::info;
    std::string_view component;
    std::string_view message;
    std::span<const Field> fields;
};

// The line, ending in "\n"; newlines inside values are escaped, so it is always one line.
std::string format_line(Format format, const LineParts &parts);

std::string_view level_name(Level level);  // "debug", "info", "warn", "error"

// The level or format a flag names ("debug".."error"; "logfmt", "json"), or nullopt.
std::optional<Level> level_named(std::string_view name);
std::optional<Format> format_named(std::string_view name);

}  // namespace switchyard::log
