// Log line formats: logfmt for people and grep, JSON for log pipelines.
#include "host/log/line_format.h"

#include <array>

#include "host/json/json_text.h"

namespace switchyard::log {
namespace {

constexpr std::array<std::string_view, 4> kLevelNames = {"debug", "info", "warn", "error"};
constexpr std::array<std::string_view, 2> kFormatNames = {"logfmt", "json"};

// logfmt value quoting: backslash, quote and control characters escaped.
void append_quoted(std::string &out, std::string_view text) {
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    out += '"';
}

std::string logfmt_line(const LineParts &parts) {
    std::string line = "ts=" + std::string(parts.ts) + " level=" + std::string(level_name(parts.level)) + " component=";
    append_quoted(line, parts.component);
    line += " msg=";
    append_quoted(line, parts.message);
    for (const Field &field : parts.fields) {
        line.append(" ").append(field.key).append("=");
        append_quoted(line, field.value);
    }
    return line + "\n";
}

std::string json_line(const LineParts &parts) {
    std::string line = "{\"ts\":";
    json::append_string(line, parts.ts);
    line += ",\"level\":";
    json::append_string(line, level_name(parts.level));
    line += ",\"component\":";
    json::append_string(line, parts.component);
    line += ",\"msg\":";
    json::append_string(line, parts.message);
    for (const Field &field : parts.fields) {
        line += ',';
        json::append_string(line, field.key);
        line += ':';
        json::append_string(line, field.value);
    }
    return line + "}\n";
}

template <typename Enum, size_t N>
std::optional<Enum> named(const std::array<std::string_view, N> &names, std::string_view name) {
    for (size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace

std::string format_line(Format format, const LineParts &parts) {
    return format == Format::json ? json_line(parts) : logfmt_line(parts);
}

std::string_view level_name(Level level) { return kLevelNames.at(static_cast<size_t>(level)); }

std::optional<Level> level_named(std::string_view name) { return named<Level>(kLevelNames, name); }

std::optional<Format> format_named(std::string_view name) { return named<Format>(kFormatNames, name); }

}  // namespace switchyard::log
