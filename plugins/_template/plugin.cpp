// The smallest correct Switchyard destination: accepts every JSON-object event and
// discards it. Copy this folder to start a plugin; replace the settings rows, transform_events()
// and send_request() with the destination's own (the SDK's http_client.h and grading.h send and
// grade real requests).
#include <array>

#include <nlohmann/json.hpp>

#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/settings_table.h"

namespace {

// Immutable after init, as the ABI requires.
struct Settings {
    std::string label;
};
using Instance = Settings;

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

const sy_transform_result *transform_events(const Settings &settings, const sy_str_view *events, size_t count,
                                            sy_batching batching) {
    auto out = std::make_unique<sy::TransformOutput>();
    sy::Request batch;
    batch.url = "null://discard";
    batch.headers = headers_for(settings);
    for (uint32_t i = 0; i < count; ++i) {
        auto event = nlohmann::json::parse(sy::view(events[i]), nullptr, false);
        if (!event.is_object()) {
            out->add_error(i, 400, "event is not a JSON object");
            continue;
        }
        if (batching == SY_BATCH_NONE) {
            sy::Request single;
            single.url = "null://discard";
            single.headers = headers_for(settings);
            single.body = event.dump();
            single.event_indexes = {i};
            out->add(std::move(single));
            continue;
        }
        batch.body += batch.body.empty() ? "[" : ",";
        batch.body += event.dump();
        batch.event_indexes.push_back(i);
    }
    if (!batch.event_indexes.empty()) {
        batch.body += "]";
        out->add(std::move(batch));
    }
    return sy::hand_to_host(std::move(out));
}

const sy_send_result *send_request(const sy_request &) {
    auto out = std::make_unique<sy::SendOutput>();
    out->outcome = SY_OK;
    out->http_status = 200;
    return sy::hand_to_host(std::move(out));
}

sy_instance *init(const sy_host_api *, sy_str_view settings, char *error, size_t error_cap) {
    return sy::barrier<sy_instance *>(nullptr, [&]() -> sy_instance * {
        auto parsed = settings_table().parse(sy::view(settings));
        if (!parsed.ok) {
            sy::write_error(error, error_cap, parsed.error);
            return nullptr;
        }
        return reinterpret_cast<sy_instance *>(new Instance(std::move(parsed.settings)));
    });
}

void destroy(sy_instance *instance) { delete reinterpret_cast<Instance *>(instance); }

const sy_transform_result *transform(sy_instance *instance, const sy_str_view *events, size_t count,
                                     sy_batching batching) {
    return sy::barrier<const sy_transform_result *>(nullptr, [&] {
        return transform_events(*reinterpret_cast<const Instance *>(instance), events, count, batching);
    });
}

const sy_send_result *send(sy_instance *, const sy_request *request) {
    return sy::barrier<const sy_send_result *>(nullptr, [&] { return send_request(*request); });
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
        .init = init,
        .destroy = destroy,
        .transform = transform,
        .send = send,
        .release = release,
        .rate_limits = nullptr,
    };
    return table;
}

}  // namespace

extern "C" SY_EXPORT const sy_plugin *sy_destination_entry(void) {
    return sy::barrier<const sy_plugin *>(nullptr, [] { return &plugin_table(); });
}
