// A destination instance in this process: init/destroy and the calls into the plugin, each
// behind RAII.
#include "host/plugin/destination.h"

#include <mutex>

#include "host/log/log.h"
#include "host/plugin/abi_read.h"
#include "host/plugin/host_services.h"
#include "host/plugin/message_types.h"

namespace switchyard {
namespace {

constexpr size_t kErrorCapacity = 1024;  // init and verify write a sentence into it

// The ABI promises a plugin that init() and destroy() never overlap. With hot reload an old
// instance may be destroyed on a delivery worker (its last batch done) while a reload creates
// another, so every init and destroy takes this lock.
std::mutex lifecycle_mutex;

// "transform returned no result: <what the plugin said through fail()>".
std::string no_result(std::string_view hook) {
    const std::string &reason = HostServices::failure();
    return std::string(hook) + " returned no result" + (reason.empty() ? "" : ": " + reason);
}

class InProcessDestination final : public Destination {
   public:
    InProcessDestination(std::shared_ptr<const PluginLibrary> plugin, std::string id, Metrics *metrics,
                         ServicesRelay *relay)
        : Destination(std::move(plugin), std::move(id)),
          services_(std::make_unique<HostServices>(plugin_->name(), id_, metrics, relay)) {}
    ~InProcessDestination() override;

    std::string init(std::string_view settings_json);
    TransformResult transform(std::span<const sy_borrowed_str> events, uint32_t max_events_per_request) const override;
    SendResult send(const sy_request &request) const override;
    std::vector<sy_rate_limit> rate_limits() const override;
    TransformResult delete_users(std::span<const sy_borrowed_str> users) const override;
    Verification verify() const override;
    bool in_this_process() const override { return true; }
    void release(void *owner) const override;

   private:
    std::unique_ptr<HostServices> services_;
    sy_instance *instance_ = nullptr;
};

}  // namespace

std::shared_ptr<Destination> Destination::create(std::shared_ptr<const PluginLibrary> plugin, std::string id,
                                                 std::string_view settings_json, std::string &error, Metrics *metrics,
                                                 ServicesRelay *relay) {
    auto destination = std::make_shared<InProcessDestination>(std::move(plugin), std::move(id), metrics, relay);
    error = destination->init(settings_json);
    if (!error.empty()) return nullptr;
    return destination;
}

// The refusal, or empty.
std::string InProcessDestination::init(std::string_view settings_json) {
    char buffer[kErrorCapacity] = {};
    std::lock_guard lock(lifecycle_mutex);
    services_->keep_warnings(true);
    instance_ = plugin_->table().init(services_->api(), {settings_json.data(), settings_json.size()}, buffer,
                                      sizeof buffer);
    services_->keep_warnings(false);
    init_warnings_ = services_->kept_warnings();
    if (instance_ != nullptr) return {};
    buffer[sizeof buffer - 1] = '\0';
    return plugin_->path().string() + ": init refused: " +
           (buffer[0] != '\0' ? std::string(buffer) : std::string("no reason given"));
}

InProcessDestination::~InProcessDestination() {
    if (instance_ == nullptr) return;
    std::lock_guard lock(lifecycle_mutex);
    plugin_->table().destroy(instance_);
}

TransformResult InProcessDestination::transform(std::span<const sy_borrowed_str> events,
                                       uint32_t max_events_per_request) const {
    Admission admitted = admit(plugin_->message_types(), events);
    TransformRead read;
    read.errors = std::move(admitted.skipped);
    if (admitted.events.empty()) return TransformResult(shared_from_this(), false, nullptr, std::move(read), {});
    HostServices::clear_failure();
    const sy_transform_result *raw = plugin_->table().transform(instance_, admitted.events.data(),
                                                                admitted.events.size(), max_events_per_request);
    if (raw == nullptr) return TransformResult(shared_from_this(), false, nullptr, {}, no_result("transform"));
    std::string why = read_transform_result(*raw, admitted.positions, events.size(), read);
    if (!why.empty()) why = "transform returned an invalid result: " + why;
    const bool holds = owner_readable(*raw);
    return TransformResult(shared_from_this(), holds, holds ? raw->owner : nullptr, std::move(read), std::move(why));
}

TransformResult InProcessDestination::delete_users(std::span<const sy_borrowed_str> users) const {
    std::vector<uint32_t> positions(users.size());
    for (uint32_t i = 0; i < positions.size(); ++i) positions[i] = i;
    HostServices::clear_failure();
    const sy_transform_result *raw = plugin_->table().delete_users(instance_, users.data(), users.size());
    if (raw == nullptr) return TransformResult(shared_from_this(), false, nullptr, {}, no_result("delete_users"));
    TransformRead read;
    std::string why = read_transform_result(*raw, positions, users.size(), read);
    if (!why.empty()) why = "delete_users returned an invalid result: " + why;
    const bool holds = owner_readable(*raw);
    return TransformResult(shared_from_this(), holds, holds ? raw->owner : nullptr, std::move(read), std::move(why));
}

SendResult InProcessDestination::send(const sy_request &request) const {
    HostServices::clear_failure();
    const sy_send_result *raw = plugin_->table().send(instance_, &request);
    if (raw == nullptr) return SendResult(shared_from_this(), false, nullptr, {}, no_result("send"));
    SendRead read;
    std::string why = read_send_result(*raw, read);
    if (!why.empty()) why = "send returned an invalid result: " + why;
    const bool holds = owner_readable(*raw);
    return SendResult(shared_from_this(), holds, holds ? raw->owner : nullptr, std::move(read), std::move(why));
}

std::vector<sy_rate_limit> InProcessDestination::rate_limits() const {
    std::vector<sy_rate_limit> limits;
    if (plugin_->table().rate_limits == nullptr) return limits;
    size_t count = 0;
    const sy_rate_limit *raw = plugin_->table().rate_limits(instance_, &count);
    if (raw == nullptr) return limits;
    if (std::string why = read_abi_array(raw, count, limits); !why.empty()) {
        log::error("plugin:" + plugin_->name() + "/" + id_, "rate_limits returned an invalid list (" + why +
                                                                "); requests go unpaced.");
        limits.clear();
    }
    return limits;
}

Verification InProcessDestination::verify() const {
    Verification verdict;
    if (plugin_->table().verify == nullptr) return verdict;
    verdict.checked = true;
    char buffer[kErrorCapacity] = {};
    verdict.outcome = plugin_->table().verify(instance_, buffer, sizeof buffer);
    buffer[sizeof buffer - 1] = '\0';
    if (verdict.outcome != SY_OK) verdict.message = buffer[0] != '\0' ? buffer : "no reason given";
    return verdict;
}

void InProcessDestination::release(void *owner) const { plugin_->table().release(instance_, owner); }

}  // namespace switchyard
