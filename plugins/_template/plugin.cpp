// The smallest correct Switchyard destination: accepts every JSON-object event and
// discards it. Copy this folder to start a plugin; replace the settings rows, transform_events()
// and send_request() with the destination's own (the SDK's http_client.h and grading.h send and
// grade real requests).
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/settings_table.h"

namespace {

struct Settings {
    std::string label;
};

// Immutable after init, as the ABI requires (transform and send run on many threads).
struct Instance {
    const sy_host_api *host;  // the host's services; valid until destroy
    Settings settings;
};

Instance &instance_of(sy_instance *instance) { return *reinterpret_cast<Instance *>(instance); }

// One row per setting: validation, defaults, the exported JSON Schema and "did you mean" all
// come from it.
constexpr std::array kSettingRows = std::to_array<sy::sdk::Setting<Settings>>({
    {{"label", &sy::sdk::kinds::kString, R"("")", false, false,
      "Sent as an X-Switchyard-Label header when not empty (an example setting)."},
     [](Settings &s, const nlohmann::json &v) { s.label = v.get<std::string>(); }},
});

const sy::sdk::SettingsTable<Settings> &settings_table() {
    static const sy::sdk::SettingsTable<Settings> table("template destination settings", kSettingRows);
    return table;
}

std::vector<sy::Header> headers_for(const Settings &settings) {
    std::vector<sy::Header> headers = {{"Content-Type", "application/json"}};
    if (!settings.label.empty()) headers.push_back({"X-Switchyard-Label", settings.label});
    return headers;
}

sy::Request discard_request(const Settings &settings) {
    sy::Request request;
    request.kind = "discard";  // what send() grades by; a real plugin names its endpoints
    request.url = "null://discard";
    request.headers = headers_for(settings);
    return request;
}

// One event's JSON as it is, several as a JSON array.
std::string body_of(const std::vector<std::string> &events) {
    if (events.size() == 1) return events.front();
    std::string body = "[";
    for (const std::string &event : events) body += (body.size() > 1 ? "," : "") + event;
    return body + "]";
}

// Requests of up to `max_events` events each, in input order.
const sy_transform_result *transform_events(const Settings &settings, const sy_borrowed_str *events, size_t count,
                                            uint32_t max_events) {
    auto out = std::make_unique<sy::TransformOutput>();
    sy::Request request = discard_request(settings);
    std::vector<std::string> bodies;
    auto emit = [&] {
        if (bodies.empty()) return;
        request.body = body_of(bodies);
        out->add(std::exchange(request, discard_request(settings)));
        bodies.clear();
    };
    for (uint32_t i = 0; i < count; ++i) {
        auto event = nlohmann::json::parse(sy::view(events[i]), nullptr, false);
        if (!event.is_object()) {
            out->add_error(i, SY_ABORT, 400, "event is not a JSON object");
            continue;
        }
        bodies.push_back(event.dump());
        request.event_indexes.push_back(i);
        if (request.event_indexes.size() >= max_events) emit();
    }
    emit();
    return sy::hand_to_host(std::move(out));
}

const sy_send_result *send_request(const sy_request &) {
    auto out = std::make_unique<sy::SendOutput>();
    out->outcome = SY_OK;
    out->http_status = 200;
    return sy::hand_to_host(std::move(out));
}

sy_instance *init(const sy_host_api *host, sy_borrowed_str settings, char *error, size_t error_cap) {
    return sy::barrier<sy_instance *>(host, nullptr, [&]() -> sy_instance * {
        auto parsed = settings_table().parse(sy::view(settings));
        if (!parsed.ok) {
            sy::write_error(error, error_cap, parsed.error);
            return nullptr;
        }
        return reinterpret_cast<sy_instance *>(new Instance{host, std::move(parsed.settings)});
    });
}

void destroy(sy_instance *instance) { delete &instance_of(instance); }

const sy_transform_result *transform(sy_instance *instance, const sy_borrowed_str *events, size_t count,
                                     uint32_t max_events_per_request) {
    // The barrier turns an exception into "no result" and tells the host its message (host->fail).
    const Instance &self = instance_of(instance);
    return sy::barrier<const sy_transform_result *>(self.host, nullptr, [&] {
        return transform_events(self.settings, events, count, max_events_per_request);
    });
}

const sy_send_result *send(sy_instance *instance, const sy_request *request) {
    return sy::barrier<const sy_send_result *>(instance_of(instance).host, nullptr,
                                               [&] { return send_request(*request); });
}

void release(sy_instance *, void *owner) { sy::release_owned(owner); }

const sy_plugin &plugin_table() {
    static const sy_plugin table = {
        .struct_size = sizeof(sy_plugin),
        .abi_major = SY_ABI_MAJOR,
        .abi_minor = SY_ABI_MINOR,
        .name = "template",
        .version = "1.0.0",
        .settings_schema = settings_table().schema_json().c_str(),
        .message_types = nullptr,       // every type
        .max_events_per_request = 100,  // batches of up to 100 events
        .max_body_bytes = 0,            // no limit of its own
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
