// Prometheus text exposition (format 0.0.4).
#include "host/metrics/metrics.h"

#include <charconv>
#include <stdexcept>

namespace switchyard {
namespace {

std::string escape_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out;
}

std::string label_text(const Labels &labels, const std::string &extra = {}) {
    std::string out;
    for (const auto &[k, v] : labels) out += (out.empty() ? "" : ",") + k + "=\"" + escape_label(v) + "\"";
    if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
    return out.empty() ? "" : "{" + out + "}";
}

// The shortest text that reads back as `v` (0.005, not 0.0050000000000000001).
std::string number(double v) {
    char buf[32];
    char *end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
}

const char *type_name(Metrics::Type t) {
    switch (t) {
        case Metrics::Type::counter: return "counter";
        case Metrics::Type::gauge: return "gauge";
        case Metrics::Type::histogram: return "histogram";
    }
    return "untyped";
}

}  // namespace

void Metrics::declare(std::string name, Type type, std::string help) {
    std::lock_guard lock(mutex_);
    families_.try_emplace(std::move(name), Family{type, std::move(help), {}});
}

Metrics::Family &Metrics::family(std::string_view name, Type expected) {
    auto it = families_.find(name);
    if (it == families_.end() || it->second.type != expected)
        throw std::logic_error("metric " + std::string(name) + " is not declared as a " + type_name(expected));
    return it->second;
}

void Metrics::add(std::string_view name, const Labels &labels, double amount) {
    std::lock_guard lock(mutex_);
    family(name, Type::counter).series[labels].value += amount;
}

void Metrics::set(std::string_view name, const Labels &labels, double value) {
    std::lock_guard lock(mutex_);
    family(name, Type::gauge).series[labels].value = value;
}

void Metrics::set_total(std::string_view name, const Labels &labels, double total) {
    std::lock_guard lock(mutex_);
    family(name, Type::counter).series[labels].value = total;
}

void Metrics::observe(std::string_view name, const Labels &labels, double seconds) {
    std::lock_guard lock(mutex_);
    Series &s = family(name, Type::histogram).series[labels];
    if (s.buckets.empty()) s.buckets.assign(std::size(kLatencyBuckets), 0);
    for (size_t i = 0; i < std::size(kLatencyBuckets); ++i)
        if (seconds <= kLatencyBuckets[i]) ++s.buckets[i];
    s.value += seconds;
    ++s.count;
}

void Metrics::clear(std::string_view name) {
    std::lock_guard lock(mutex_);
    family(name, Type::gauge).series.clear();
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto &[name, f] : families_) {
        out.append("# HELP ").append(name).append(" ").append(f.help);
        out.append("\n# TYPE ").append(name).append(" ").append(type_name(f.type)).append("\n");
        for (const auto &[labels, s] : f.series) {
            if (f.type != Type::histogram) {
                out += name + label_text(labels) + " " + number(s.value) + "\n";
                continue;
            }
            for (size_t i = 0; i < s.buckets.size(); ++i)
                out += name + "_bucket" + label_text(labels, "le=\"" + number(kLatencyBuckets[i]) + "\"") + " " +
                       std::to_string(s.buckets[i]) + "\n";
            out += name + "_bucket" + label_text(labels, "le=\"+Inf\"") + " " + std::to_string(s.count) + "\n";
            out += name + "_sum" + label_text(labels) + " " + number(s.value) + "\n";
            out += name + "_count" + label_text(labels) + " " + std::to_string(s.count) + "\n";
        }
    }
    return out;
}

}  // namespace switchyard
