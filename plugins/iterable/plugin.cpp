// The Iterable destination's ABI glue: the exported entry, the function table and the
// noexcept barriers. Everything else lives in the files named by each hook.
#include <memory>
#include <string>
#include <vector>

#include "delivery.h"
#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "transform_call.h"

namespace {

// A test build overrides it to tell two builds apart (tests/reload).
#ifndef ITERABLE_PLUGIN_VERSION
#define ITERABLE_PLUGIN_VERSION "0.1.0"
#endif
constexpr const char *kVersion = ITERABLE_PLUGIN_VERSION;

// Immutable after init, as the ABI requires (transform may run on many threads).
struct Instance {
    iterable::Settings settings;
    std::vector<sy_rate_limit> rate_limits;  // views into settings.rate_limits
    std::unique_ptr<sy::sdk::HttpClient> http;  // thread-safe: a pool of keep-alive handles
    sy::sdk::ParserPool parsers;                // thread-safe
};

Instance *instance_of(sy_instance *instance) { return reinterpret_cast<Instance *>(instance); }

void log_line(const sy_host_api *host, sy_log_level level, const std::string &line) {
    if (host != nullptr && host->log != nullptr) host->log(host->host_ctx, level, sy::view(line));
}

sy_instance *init(const sy_host_api *host, sy_str_view settings_json, char *error, size_t error_cap) {
    return sy::barrier<sy_instance *>(nullptr, [&]() -> sy_instance * {
        iterable::SettingsParse parsed = iterable::parse_settings(sy::view(settings_json));
        if (!parsed.ok) {
            sy::write_error(error, error_cap, parsed.error);
            return nullptr;
        }
        for (const std::string &warning : parsed.warnings) log_line(host, SY_LOG_WARN, warning);
        auto instance = std::make_unique<Instance>();
        instance->settings = std::move(parsed.settings);
        for (const iterable::RateLimitSetting &limit : instance->settings.rate_limits) {
            // Iterable counts requests per sliding second: no burst above the steady rate.
            instance->rate_limits.push_back({sy::view(limit.rate_key), limit.requests_per_second, 1});
        }
        instance->http = std::make_unique<sy::sdk::HttpClient>(sy::sdk::HttpOptions{
            instance->settings.connect_timeout_ms, instance->settings.request_timeout_ms,
            instance->settings.gzip_requests, std::string("Switchyard-Iterable/") + kVersion});
        return reinterpret_cast<sy_instance *>(instance.release());
    });
}

void destroy(sy_instance *instance) { delete instance_of(instance); }

const sy_transform_result *transform(sy_instance *instance, const sy_str_view *events, size_t count,
                                     sy_batching batching) {
    return sy::barrier<const sy_transform_result *>(nullptr, [&]() -> const sy_transform_result * {
        Instance &self = *instance_of(instance);
        return sy::hand_to_host(
            iterable::transform_events(self.settings, self.parsers, events, count, batching));
    });
}

const sy_send_result *send(sy_instance *instance, const sy_request *request) {
    return sy::barrier<const sy_send_result *>(nullptr, [&]() -> const sy_send_result * {
        return sy::hand_to_host(iterable::deliver(*instance_of(instance)->http, *request));
    });
}

void release(sy_instance *, void *owner) { sy::release_owned(owner); }

const sy_rate_limit *rate_limits(sy_instance *instance, size_t *count) {
    const auto &limits = instance_of(instance)->rate_limits;
    if (count != nullptr) *count = limits.size();
    return limits.data();
}

const sy_plugin &plugin_table() {
    static const sy_plugin table = {
        .struct_size = sizeof(sy_plugin),
        .abi_major = SY_ABI_MAJOR,
        .abi_minor = SY_ABI_MINOR,
        .name = "iterable",
        .version = kVersion,
        .settings_schema = iterable::settings_table().schema_json().c_str(),
        .init = init,
        .destroy = destroy,
        .transform = transform,
        .send = send,
        .release = release,
        .rate_limits = rate_limits,
    };
    return table;
}

}  // namespace

extern "C" SY_EXPORT const sy_plugin *sy_destination_entry(void) {
    return sy::barrier<const sy_plugin *>(nullptr, [] { return &plugin_table(); });
}
