// A destination instance: init/destroy and the calls into the plugin, each behind RAII.
#include "host/plugin/destination.h"

#include <mutex>

#include "host/log/log.h"

namespace switchyard {

// What the plugin's host API points at; outlives the instance.
struct HostServices {
    sy_host_api api{};
    std::string component;  // "plugin:<name>/<destination id>"
};

namespace {

constexpr size_t kInitErrorCapacity = 1024;

// The ABI promises a plugin that init() and destroy() never overlap. With hot reload an old
// instance may be destroyed on a delivery worker (its last batch done) while a reload creates
// another, so every init and destroy takes this lock.
std::mutex lifecycle_mutex;

void log_from_plugin(void *ctx, sy_log_level level, sy_str_view message) {
    // Called from plugin threads: never let anything escape back into C.
    try {
        const auto *services = static_cast<const HostServices *>(ctx);
        static constexpr log::Level kLevels[] = {log::Level::debug, log::Level::info, log::Level::warn,
                                                 log::Level::error};
        const log::Level mapped = level >= SY_LOG_DEBUG && level <= SY_LOG_ERROR ? kLevels[level] : log::Level::error;
        log::write(mapped, services->component, std::string_view(message.ptr ? message.ptr : "", message.len));
    } catch (...) {
    }
}

}  // namespace

Destination::Destination(std::shared_ptr<const PluginLibrary> plugin, std::string id)
    : plugin_(std::move(plugin)), id_(std::move(id)), services_(std::make_unique<HostServices>()) {
    services_->component = "plugin:" + plugin_->name() + "/" + id_;
    services_->api.struct_size = sizeof(sy_host_api);
    services_->api.host_ctx = services_.get();
    services_->api.log = log_from_plugin;
}

std::shared_ptr<Destination> Destination::create(std::shared_ptr<const PluginLibrary> plugin, std::string id,
                                                 std::string_view settings_json, std::string &error) {
    std::shared_ptr<Destination> destination(new Destination(std::move(plugin), std::move(id)));
    char buffer[kInitErrorCapacity] = {};
    std::lock_guard lock(lifecycle_mutex);
    destination->instance_ = destination->plugin_->table().init(
        &destination->services_->api, {settings_json.data(), settings_json.size()}, buffer, sizeof buffer);
    if (destination->instance_ == nullptr) {
        buffer[sizeof buffer - 1] = '\0';
        error = destination->plugin_->path().string() + ": init refused: " +
                (buffer[0] != '\0' ? std::string(buffer) : std::string("no reason given"));
        return nullptr;
    }
    return destination;
}

Destination::~Destination() {
    if (instance_ == nullptr) return;
    std::lock_guard lock(lifecycle_mutex);
    plugin_->table().destroy(instance_);
}

TransformResult Destination::transform(std::span<const sy_str_view> events, sy_batching batching) const {
    const sy_transform_result *result = plugin_->table().transform(instance_, events.data(), events.size(), batching);
    return TransformResult(shared_from_this(), result);
}

SendResult Destination::send(const sy_request &request) const {
    return SendResult(shared_from_this(), plugin_->table().send(instance_, &request));
}

std::span<const sy_rate_limit> Destination::rate_limits() const {
    if (plugin_->table().rate_limits == nullptr) return {};
    size_t count = 0;
    const sy_rate_limit *limits = plugin_->table().rate_limits(instance_, &count);
    return limits != nullptr ? std::span<const sy_rate_limit>(limits, count) : std::span<const sy_rate_limit>();
}

void Destination::release(void *owner) const { plugin_->table().release(instance_, owner); }

}  // namespace switchyard
