// The host API's functions. Each is called from plugin threads through C frames: nothing may
// escape back into C, so every body is a catch-all barrier.
#include "host/plugin/host_services.h"

#include <algorithm>

#include "host/log/log.h"
#include "host/plugin/connection_advice.h"

namespace switchyard {
namespace {

constexpr size_t kMaxMetricNameBytes = 64;  // plugin.h: [a-z][a-z0-9_]*, at most 64 bytes
// A bound on the series a plugin can add to /metrics (a name built from data would grow it forever).
constexpr size_t kMaxMetricsPerDestination = 64;

thread_local std::string failure_reason;

std::string_view text(sy_str_view v) { return {v.ptr != nullptr ? v.ptr : "", v.len}; }

bool valid_metric_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxMetricNameBytes || name[0] < 'a' || name[0] > 'z') return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Plugin names may hold '-', which a Prometheus metric name may not.
std::string metric_safe(std::string_view plugin) {
    std::string out(plugin);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

}  // namespace

HostServices::HostServices(std::string_view plugin, std::string destination_id, Metrics *metrics,
                           ServicesRelay *relay)
    : plugin_(plugin),
      component_("plugin:" + plugin_ + "/" + destination_id),
      metric_prefix_("switchyard_plugin_" + metric_safe(plugin) + "_"),
      destination_id_(std::move(destination_id)),
      metrics_(metrics),
      relay_(relay) {
    api_.struct_size = sizeof(sy_host_api);
    api_.host_ctx = this;
    api_.log = log;
    api_.count = count;
    api_.gauge = gauge;
    api_.fail = fail;
    const ConnectionAdvice advice = connection_advice();
    api_.connections_per_host = advice.connections_per_host;
    api_.idle_connection_timeout_ms = advice.idle_connection_timeout_ms;
}

void HostServices::clear_failure() { failure_reason.clear(); }

const std::string &HostServices::failure() { return failure_reason; }

void HostServices::keep_warnings(bool on) {
    std::lock_guard lock(warnings_mutex_);
    keeping_warnings_ = on;
}

std::vector<std::string> HostServices::kept_warnings() const {
    std::lock_guard lock(warnings_mutex_);
    return warnings_;
}

void HostServices::log(void *ctx, sy_log_level level, sy_borrowed_str message) {
    try {
        auto *self = static_cast<HostServices *>(ctx);
        if (self->relay_ != nullptr) return self->relay_->log(level, text(message));
        static constexpr log::Level kLevels[] = {log::Level::debug, log::Level::info, log::Level::warn,
                                                 log::Level::error};
        const log::Level mapped = level >= SY_LOG_DEBUG && level <= SY_LOG_ERROR ? kLevels[level] : log::Level::error;
        log::write(mapped, self->component_, text(message));
        if (mapped == log::Level::warn) {
            std::lock_guard lock(self->warnings_mutex_);
            if (self->keeping_warnings_) self->warnings_.emplace_back(text(message));
        }
    } catch (...) {
    }
}

std::string HostServices::family(std::string_view name, Metrics::Type type) {
    {
        std::lock_guard lock(names_mutex_);
        const char *refusal = !valid_metric_name(name) ? "names must match [a-z][a-z0-9_]{0,63}"
                              : !named_.contains(name) && named_.size() >= kMaxMetricsPerDestination
                                  ? "a destination has at most 64 plugin metrics"
                                  : nullptr;
        if (refusal != nullptr) {
            if (warned_.insert(std::string(name)).second)
                log::warn(component_, "Metric name \"" + std::string(name) + "\" is dropped: " + refusal + ".");
            return {};
        }
        named_.emplace(name);
    }
    const bool counter = type == Metrics::Type::counter;
    std::string full = metric_prefix_ + std::string(name) + (counter ? "_total" : "");
    metrics_->declare(full, type, std::string(counter ? "Counter" : "Gauge") + " \"" + std::string(name) +
                                      "\" of plugin " + plugin_ + ".");
    return full;
}

void HostServices::count(void *ctx, sy_borrowed_str name, uint64_t delta) {
    try {
        auto *self = static_cast<HostServices *>(ctx);
        if (self->relay_ != nullptr) return self->relay_->count(text(name), delta);
        if (self->metrics_ == nullptr) return;
        if (const std::string full = self->family(text(name), Metrics::Type::counter); !full.empty())
            self->metrics_->add(full, {{"destination", self->destination_id_}}, static_cast<double>(delta));
    } catch (...) {  // e.g. the name is a gauge already: dropped
    }
}

void HostServices::gauge(void *ctx, sy_borrowed_str name, double value) {
    try {
        auto *self = static_cast<HostServices *>(ctx);
        if (self->relay_ != nullptr) return self->relay_->gauge(text(name), value);
        if (self->metrics_ == nullptr) return;
        if (const std::string full = self->family(text(name), Metrics::Type::gauge); !full.empty())
            self->metrics_->set(full, {{"destination", self->destination_id_}}, value);
    } catch (...) {
    }
}

void HostServices::fail(void * /*ctx*/, sy_borrowed_str reason) {
    try {
        failure_reason.assign(text(reason));
    } catch (...) {
    }
}

}  // namespace switchyard
