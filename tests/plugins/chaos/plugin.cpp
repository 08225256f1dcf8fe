// The chaos test plugin's ABI glue: the exported entry, the function table and the noexcept
// barriers. Requests are built in batch.cpp, sent in delivery.cpp; the faults live in faults.cpp.
#include <memory>
#include <string>

#include "batch.h"
#include "delivery.h"
#include "settings.h"
#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"

namespace {

constexpr const char *kVersion = "1.0.0";
constexpr long kConnectTimeoutMs = 5000;
constexpr long kRequestTimeoutMs = 10000;

// Every type the event spec has: the host passes them all to transform.
constexpr const char *kMessageTypes[] = {"track", "identify", "page", "screen", "group", "alias", nullptr};

// Immutable after init, as the ABI requires (transform and send run on many threads).
struct Instance {
    const sy_host_api *host;  // the host's; valid until destroy
    chaos::Settings settings;
    std::unique_ptr<sy::sdk::HttpClient> http;  // thread-safe
};

Instance &instance_of(sy_instance *instance) { return *reinterpret_cast<Instance *>(instance); }

sy_instance *init(const sy_host_api *host, sy_borrowed_str settings_json, char *error, size_t error_cap) {
    return sy::barrier<sy_instance *>(host, nullptr, [&]() -> sy_instance * {
        auto parsed = chaos::settings_table().parse(sy::view(settings_json));
        if (!parsed.ok) {
            sy::write_error(error, error_cap, parsed.error);
            return nullptr;
        }
        auto instance = std::make_unique<Instance>();
        instance->host = host;
        instance->settings = std::move(parsed.settings);
        instance->http = std::make_unique<sy::sdk::HttpClient>(sy::sdk::HttpOptions{
            kConnectTimeoutMs, kRequestTimeoutMs, false, std::string("Switchyard-Chaos/") + kVersion}, host);
        return reinterpret_cast<sy_instance *>(instance.release());
    });
}

void destroy(sy_instance *instance) { delete &instance_of(instance); }

const sy_transform_result *transform(sy_instance *instance, const sy_borrowed_str *events, size_t count,
                                     uint32_t max_events_per_request) {
    const Instance &self = instance_of(instance);
    return sy::barrier<const sy_transform_result *>(self.host, nullptr, [&] {
        return sy::hand_to_host(chaos::build_requests(self.settings, events, count, max_events_per_request));
    });
}

const sy_send_result *send(sy_instance *instance, const sy_request *request) {
    const Instance &self = instance_of(instance);
    return sy::barrier<const sy_send_result *>(self.host, nullptr, [&] {
        return sy::hand_to_host(chaos::deliver(*self.http, self.settings, *request));
    });
}

void release(sy_instance *, void *owner) { sy::release_owned(owner); }

const sy_plugin &plugin_table() {
    static const sy_plugin table = {
        .struct_size = sizeof(sy_plugin),
        .abi_major = SY_ABI_MAJOR,
        .abi_minor = SY_ABI_MINOR,
        .name = "chaos",
        .version = kVersion,
        .settings_schema = chaos::settings_table().schema_json().c_str(),
        .message_types = kMessageTypes,
        .max_events_per_request = chaos::kMaxEventsPerRequest,
        .max_body_bytes = 0,  // no limit of its own
        .init = init,
        .destroy = destroy,
        .transform = transform,
        .send = send,
        .release = release,
        .rate_limits = nullptr,
        .delete_users = nullptr,
        .verify = nullptr,
    };
    return table;
}

}  // namespace

extern "C" SY_EXPORT const sy_plugin *sy_destination_entry(void) {
    return sy::barrier<const sy_plugin *>(nullptr, [] { return &plugin_table(); });
}
