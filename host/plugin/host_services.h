// The services the host offers a plugin instance (sy_host_api): log, per-destination counters
// and gauges in /metrics, fail() for saying why a hook returns NULL, and the process's advice on
// outbound connections (connection_advice.h).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "host/metrics/metrics.h"
#include "switchyard/plugin.h"

namespace switchyard {

// Takes what an instance reports instead of this process's log and metrics: in a plugin worker,
// whose host replays it on the destination's own services (host/worker/).
class ServicesRelay {
   public:
    virtual ~ServicesRelay() = default;
    virtual void log(sy_log_level level, std::string_view message) = 0;
    virtual void count(std::string_view name, uint64_t delta) = 0;
    virtual void gauge(std::string_view name, double value) = 0;
};

class HostServices {
   public:
    // `metrics` may be null (CLI commands): counts and gauges then go nowhere. With a `relay`,
    // log, count and gauge go to it instead.
    HostServices(std::string_view plugin, std::string destination_id, Metrics *metrics,
                 ServicesRelay *relay = nullptr);
    HostServices(const HostServices &) = delete;
    HostServices &operator=(const HostServices &) = delete;

    const sy_host_api *api() const { return &api_; }

    // Forgets this thread's failure reason: call before each hook that may return NULL.
    static void clear_failure();
    // The reason this thread's last hook gave through fail(), or empty.
    static const std::string &failure();

    // While on, the plugin's warnings are also kept (init's: `check` shows them to the operator).
    void keep_warnings(bool on);
    std::vector<std::string> kept_warnings() const;

   private:
    static void log(void *ctx, sy_log_level level, sy_borrowed_str message);
    static void count(void *ctx, sy_borrowed_str name, uint64_t delta);
    static void gauge(void *ctx, sy_borrowed_str name, double value);
    static void fail(void *ctx, sy_borrowed_str reason);
    // The metric family for a plugin's `name`, declared on first use; empty when the name is
    // refused: not a metric name, or one too many (warned about once per name).
    std::string family(std::string_view name, Metrics::Type type);

    sy_host_api api_{};
    std::string plugin_;
    std::string component_;       // "plugin:<name>/<destination id>"
    std::string metric_prefix_;   // "switchyard_plugin_<name>_"
    std::string destination_id_;
    Metrics *metrics_;
    ServicesRelay *relay_;
    std::mutex names_mutex_;
    std::set<std::string, std::less<>> named_;   // metric names in use
    std::set<std::string, std::less<>> warned_;  // refused names, warned about once
    mutable std::mutex warnings_mutex_;
    bool keeping_warnings_ = false;
    std::vector<std::string> warnings_;
};

}  // namespace switchyard
