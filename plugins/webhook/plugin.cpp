// The webhook destination's ABI glue: the exported entry, the function table and the noexcept
// barriers. Settings live in settings.cpp, requests in batch.cpp, sending in delivery.cpp.
#include <algorithm>
#include <memory>
#include <string>

#include "batch.h"
#include "delivery.h"
#include "request_limits.h"
#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"

namespace {

constexpr const char *kVersion = "1.0.0";
constexpr long kMaxConnectTimeoutMs = 5000;

// Immutable after init, as the ABI requires (transform and send run on many threads).
struct Instance {
    const sy_host_api *host;  // the host's; valid until destroy
    webhook::Settings settings;
    sy_rate_limit rate_limit{};  // used when settings.requests_per_second is set
    std::unique_ptr<sy::sdk::HttpClient> http;  // thread-safe: the process's pooled connections
    sy::sdk::ParserPool parsers;                // thread-safe
};

Instance &instance_of(sy_instance *instance) { return *reinterpret_cast<Instance *>(instance); }

sy_instance *init(const sy_host_api *host, sy_borrowed_str settings_json, char *error, size_t error_cap) {
    return sy::barrier<sy_instance *>(host, nullptr, [&]() -> sy_instance * {
        webhook::SettingsParse parsed = webhook::parse_settings(sy::view(settings_json));
        if (!parsed.ok) {
            sy::write_error(error, error_cap, parsed.error);
            return nullptr;
        }
        auto instance = std::make_unique<Instance>();
        instance->host = host;
        instance->settings = std::move(parsed.settings);
        if (const auto rps = instance->settings.requests_per_second)
            instance->rate_limit = {sizeof(sy_rate_limit), sy::view(webhook::kRateKey), *rps, 1};
        const long timeout_ms = instance->settings.timeout_ms;
        instance->http = std::make_unique<sy::sdk::HttpClient>(sy::sdk::HttpOptions{
            std::min(timeout_ms, kMaxConnectTimeoutMs), timeout_ms, false, std::string("Switchyard-Webhook/") + kVersion}, host);
        return reinterpret_cast<sy_instance *>(instance.release());
    });
}

void destroy(sy_instance *instance) { delete &instance_of(instance); }

const sy_transform_result *transform(sy_instance *instance, const sy_borrowed_str *events, size_t count,
                                     uint32_t max_events_per_request) {
    Instance &self = instance_of(instance);
    return sy::barrier<const sy_transform_result *>(self.host, nullptr, [&] {
        return sy::hand_to_host(webhook::build_requests(self.settings, self.parsers, events, count, max_events_per_request));
    });
}

const sy_send_result *send(sy_instance *instance, const sy_request *request) {
    Instance &self = instance_of(instance);
    return sy::barrier<const sy_send_result *>(self.host, nullptr, [&] {
        sy::count(self.host, "sent_bytes", request->body.len);  // what the endpoint is asked to take
        return sy::hand_to_host(webhook::deliver(*self.http, *request));
    });
}

void release(sy_instance *, void *owner) { sy::release_owned(owner); }

const sy_rate_limit *rate_limits(sy_instance *instance, size_t *count) {
    const Instance &self = instance_of(instance);
    const bool paced = self.settings.requests_per_second.has_value();
    if (count != nullptr) *count = paced ? 1 : 0;
    return paced ? &self.rate_limit : nullptr;
}

sy_outcome verify(sy_instance *instance, char *error, size_t error_cap) {
    Instance &self = instance_of(instance);
    return sy::barrier<sy_outcome>(self.host, SY_RETRY, [&] {
        const webhook::Reachability result = webhook::check_reachable(*self.http, self.settings.url.reveal());
        sy::write_error(error, error_cap, result.reason);
        return result.outcome;
    });
}

const sy_plugin &plugin_table() {
    static const sy_plugin table = {
        .struct_size = sizeof(sy_plugin),
        .abi_major = SY_ABI_MAJOR,
        .abi_minor = SY_ABI_MINOR,
        .name = "webhook",
        .version = kVersion,
        .settings_schema = webhook::settings_table().schema_json().c_str(),
        .message_types = nullptr,  // every type
        .max_events_per_request = webhook::kMaxEventsPerRequest,
        .max_body_bytes = webhook::kMaxBodyBytes,
        .init = init,
        .destroy = destroy,
        .transform = transform,
        .send = send,
        .release = release,
        .rate_limits = rate_limits,
        .delete_users = nullptr,  // a webhook has no notion of a user to delete
        .verify = verify,
    };
    return table;
}

}  // namespace

extern "C" SY_EXPORT const sy_plugin *sy_destination_entry(void) {
    return sy::barrier<const sy_plugin *>(nullptr, [] { return &plugin_table(); });
}
