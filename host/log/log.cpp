// Logging: one logfmt line per call, secrets replaced before the line exists anywhere.
#include "host/log/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace switchyard::log {
namespace {

constexpr size_t kMinSecretLength = 4;

std::shared_mutex secrets_mutex;
std::vector<std::string> secrets;
std::atomic<Level> min_level{Level::info};
std::mutex output_mutex;

const char *level_name(Level level) {
    static constexpr const char *kNames[] = {"debug", "info", "warn", "error"};
    return kNames[static_cast<int>(level)];
}

std::string timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
    return buf;
}

// logfmt value quoting: backslash, quote and control characters escaped.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        if (static_cast<unsigned char>(c) < 0x20) { out += ' '; continue; }
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string redact(std::string_view text) {
    std::string out(text);
    std::shared_lock lock(secrets_mutex);
    for (const std::string &secret : secrets)
        for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at))
            out.replace(at, secret.size(), "[redacted]");
    return out;
}

void add_secret(std::string_view secret) {
    if (secret.size() < kMinSecretLength) return;
    std::unique_lock lock(secrets_mutex);
    for (const std::string &known : secrets)
        if (known == secret) return;
    secrets.emplace_back(secret);
}

void set_min_level(Level level) { min_level = level; }

void write(Level level, std::string_view component, std::string_view message) {
    if (level < min_level.load()) return;
    const std::string line = "ts=" + timestamp() + " level=" + level_name(level) + " component=" +
                             quoted(component) + " msg=" + quoted(redact(message)) + "\n";
    std::lock_guard lock(output_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace switchyard::log
