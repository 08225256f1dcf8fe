// Logging: one line per call, secrets replaced before the line exists anywhere.
#include "host/log/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <vector>

#include "host/log/utc_time.h"

namespace switchyard::log {
namespace {

constexpr size_t kMinSecretLength = 4;

// Longest first: a secret that contains another is replaced whole, not as "[redacted]" plus the
// rest of it. A set, because every config load registers its secrets again.
struct LongestFirst {
    bool operator()(const std::string &a, const std::string &b) const {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    }
};

std::shared_mutex secrets_mutex;
std::set<std::string, LongestFirst> secrets;
std::atomic<Level> min_level{Level::info};
std::atomic<Format> line_format{Format::logfmt};
std::mutex output_mutex;

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
    secrets.emplace(secret);
}

void set_min_level(Level level) { min_level = level; }

void set_format(Format format) { line_format = format; }

// Values are redacted before escaping (a secret holding a quote would no longer match once
// escaped), and the finished line once more, so no part of it can carry a secret.
void write(Level level, std::string_view component, std::string_view message, std::span<const Field> fields) {
    if (level < min_level.load()) return;
    std::vector<Field> redacted_fields;
    redacted_fields.reserve(fields.size());
    for (const Field &field : fields) redacted_fields.push_back({field.key, redact(field.value)});
    const std::string ts = rfc3339_utc(unix_now_ms());
    const std::string redacted_message = redact(message);
    const std::string line =
        redact(format_line(line_format.load(), {ts, level, component, redacted_message, redacted_fields}));
    std::lock_guard lock(output_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace switchyard::log
