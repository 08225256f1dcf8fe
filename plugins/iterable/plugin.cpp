// The Iterable destination's ABI glue: the exported entry, the function table and the
// noexcept barriers. Everything else lives in the files named by each hook.
#include <memory>
#include <string>
#include <vector>

#include "batch.h"
#include "delivery.h"
#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "transform_call.h"
#include "user_deletion.h"

namespace {

// A test build overrides it to tell two builds apart (tests/reload).
#ifndef ITERABLE_PLUGIN_VERSION
#define ITERABLE_PLUGIN_VERSION "0.1.0"
#endif
constexpr const char *kVersion = ITERABLE_PLUGIN_VERSION;

// Immutable after init, as the ABI requires (transform may run on many threads).
struct Instance {
    const sy_host_api *host = nullptr;  // valid until destroy
    iterable::Settings settings;
    std::vector<sy_rate_limit> rate_limits;  // views into settings.rate_limits
    std::unique_ptr<sy::sdk::HttpClient> http;  // thread-safe: the process's pooled connections
    sy::sdk::ParserPool parsers;                // thread-safe
};

Instance *instance_of(sy_instance *instance) { return reinterpret_cast<Instance *>(instance); }

void log_line(const sy_host_api *host, sy_log_level level, const std::string &line) {
    if (host != nullptr && host->log != nullptr) host->log(host->host_ctx, level, sy::view(line));
}

sy_instance *init(const sy_host_api *host, sy_borrowed_str settings_json, char *error, size_t error_cap) {
    return sy::barrier<sy_instance *>(nullptr, [&]() -> sy_instance * {
        iterable::SettingsParse parsed = iterable::parse_settings(sy::view(settings_json));
        if (!parsed.ok) {
            sy::write_error(error, error_cap, parsed.error);
            return nullptr;
        }
        for (const std::string &warning : parsed.warnings) log_line(host, SY_LOG_WARN, warning);
        auto instance = std::make_unique<Instance>();
        instance->host = host;
        instance->settings = std::move(parsed.settings);
        for (const iterable::RateLimitSetting &limit : instance->settings.rate_limits) {
            // Iterable counts requests per sliding second: no burst above the steady rate.
            instance->rate_limits.push_back(
                {sizeof(sy_rate_limit), sy::view(limit.rate_key), limit.requests_per_second, 1});
        }
        instance->http = std::make_unique<sy::sdk::HttpClient>(sy::sdk::HttpOptions{
            instance->settings.connect_timeout_ms, instance->settings.request_timeout_ms,
            instance->settings.gzip_requests, std::string("Switchyard-Iterable/") + kVersion}, host);
        return reinterpret_cast<sy_instance *>(instance.release());
    });
}

void destroy(sy_instance *instance) { delete instance_of(instance); }

const sy_transform_result *transform(sy_instance *instance, const sy_borrowed_str *events, size_t count,
                                     uint32_t max_events_per_request) {
    Instance &self = *instance_of(instance);
    return sy::barrier<const sy_transform_result *>(self.host, nullptr, [&]() -> const sy_transform_result * {
        return sy::hand_to_host(
            iterable::transform_events(self.settings, self.parsers, events, count, max_events_per_request));
    });
}

const sy_send_result *send(sy_instance *instance, const sy_request *request) {
    Instance &self = *instance_of(instance);
    return sy::barrier<const sy_send_result *>(self.host, nullptr, [&]() -> const sy_send_result * {
        return sy::hand_to_host(iterable::deliver(*self.http, *request));
    });
}

const sy_transform_result *delete_users(sy_instance *instance, const sy_borrowed_str *users, size_t user_count) {
    Instance &self = *instance_of(instance);
    return sy::barrier<const sy_transform_result *>(self.host, nullptr, [&]() -> const sy_transform_result * {
        return sy::hand_to_host(iterable::build_user_deletions(self.settings, users, user_count));
    });
}

void release(sy_instance *, void *owner) { sy::release_owned(owner); }

const sy_rate_limit *rate_limits(sy_instance *instance, size_t *count) {
    const auto &limits = instance_of(instance)->rate_limits;
    if (count != nullptr) *count = limits.size();
    return limits.data();
}

// Iterable's types (rudder-integrations-config iterable supportedMessageTypes): the host skips
// the others, e.g. group, before transform.
constexpr const char *kMessageTypes[] = {"identify", "track", "page", "screen", "alias", nullptr};

const sy_plugin &plugin_table() {
    static const sy_plugin table = {
        .struct_size = sizeof(sy_plugin),
        .abi_major = SY_ABI_MAJOR,
        .abi_minor = SY_ABI_MINOR,
        .name = "iterable",
        .version = kVersion,
        .settings_schema = iterable::settings_table().schema_json().c_str(),
        .message_types = kMessageTypes,
        .max_events_per_request = iterable::kMaxBulkItems,
        .max_body_bytes = iterable::kMaxBulkRequestBytes,
        .init = init,
        .destroy = destroy,
        .transform = transform,
        .send = send,
        .release = release,
        .rate_limits = rate_limits,
        .delete_users = delete_users,
        .verify = nullptr,
    };
    return table;
}

}  // namespace

extern "C" SY_EXPORT const sy_plugin *sy_destination_entry(void) {
    return sy::barrier<const sy_plugin *>(nullptr, [] { return &plugin_table(); });
}
