// The smallest correct Switchyard destination: accepts every JSON-object event and
// discards it. Copy this folder to start a plugin; replace transform_events() and
// send_request() with the destination's mapping and I/O.
#include <nlohmann/json.hpp>

#include "switchyard/plugin.h"
#include "switchyard/plugin.hpp"

namespace {

constexpr const char *kSettingsSchema =
    R"({"type":"object","additionalProperties":false,"properties":{}})";

// Immutable after init, as the ABI requires.
struct Instance {};

const sy_transform_result *transform_events(const sy_str_view *events, size_t count,
                                            sy_batching batching) {
    auto out = std::make_unique<sy::TransformOutput>();
    sy::Request batch;
    batch.url = "null://discard";
    batch.headers = {{"Content-Type", "application/json"}};
    for (uint32_t i = 0; i < count; ++i) {
        auto event = nlohmann::json::parse(sy::view(events[i]), nullptr, false);
        if (!event.is_object()) {
            out->add_error(i, 400, "event is not a JSON object");
            continue;
        }
        if (batching == SY_BATCH_NONE) {
            sy::Request single;
            single.url = "null://discard";
            single.headers = {{"Content-Type", "application/json"}};
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
        auto parsed = nlohmann::json::parse(sy::view(settings), nullptr, false);
        if (!parsed.is_object()) {
            sy::write_error(error, error_cap, "settings must be a JSON object");
            return nullptr;
        }
        if (!parsed.empty()) {
            sy::write_error(error, error_cap,
                            "unknown setting \"" + parsed.begin().key() + "\"; this plugin takes none");
            return nullptr;
        }
        return reinterpret_cast<sy_instance *>(new Instance{});
    });
}

void destroy(sy_instance *instance) { delete reinterpret_cast<Instance *>(instance); }

const sy_transform_result *transform(sy_instance *, const sy_str_view *events, size_t count,
                                     sy_batching batching) {
    return sy::barrier<const sy_transform_result *>(
        nullptr, [&] { return transform_events(events, count, batching); });
}

const sy_send_result *send(sy_instance *, const sy_request *request) {
    return sy::barrier<const sy_send_result *>(nullptr, [&] { return send_request(*request); });
}

void release(sy_instance *, void *owner) { sy::release_owned(owner); }

constexpr sy_plugin kPlugin = {
    .struct_size = sizeof(sy_plugin),
    .abi_major = SY_ABI_MAJOR,
    .abi_minor = SY_ABI_MINOR,
    .name = "template",
    .version = "1.0.0",
    .settings_schema = kSettingsSchema,
    .init = init,
    .destroy = destroy,
    .transform = transform,
    .send = send,
    .release = release,
    .rate_limits = nullptr,
};

}  // namespace

extern "C" SY_EXPORT const sy_plugin *sy_destination_entry(void) { return &kPlugin; }
