// A destination: one plugin instance made from settings, with RAII over the ABI's results.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "host/plugin/plugin_library.h"

namespace switchyard {

class Destination;

// A plugin-owned result, released through the plugin when this goes away.
template <class Result>
class PluginResult {
   public:
    PluginResult() = default;
    PluginResult(std::shared_ptr<const Destination> owner, const Result *result)
        : owner_(std::move(owner)), result_(result) {}
    PluginResult(PluginResult &&other) noexcept { swap(other); }
    PluginResult &operator=(PluginResult &&other) noexcept {
        PluginResult(std::move(other)).swap(*this);  // cppcheck-suppress accessMoved ; `other` is not used after the move
        return *this;
    }
    ~PluginResult();

    explicit operator bool() const { return result_ != nullptr; }
    const Result *operator->() const { return result_; }
    const Result &operator*() const { return *result_; }

   private:
    void swap(PluginResult &other) noexcept {
        std::swap(owner_, other.owner_);
        std::swap(result_, other.result_);
    }
    std::shared_ptr<const Destination> owner_;
    const Result *result_ = nullptr;
};

using TransformResult = PluginResult<sy_transform_result>;
using SendResult = PluginResult<sy_send_result>;

struct HostServices;

class Destination : public std::enable_shared_from_this<Destination> {
   public:
    // Calls the plugin's init. On failure returns null and sets `error` to one sentence.
    static std::shared_ptr<Destination> create(std::shared_ptr<const PluginLibrary> plugin, std::string id,
                                               std::string_view settings_json, std::string &error);
    ~Destination();
    Destination(const Destination &) = delete;
    Destination &operator=(const Destination &) = delete;

    const std::string &id() const { return id_; }
    const PluginLibrary &plugin() const { return *plugin_; }

    // A null result means the plugin could not produce one: retry every event later.
    TransformResult transform(std::span<const sy_str_view> events, sy_batching batching) const;
    SendResult send(const sy_request &request) const;
    std::span<const sy_rate_limit> rate_limits() const;

    void release(void *owner) const;

   private:
    Destination(std::shared_ptr<const PluginLibrary> plugin, std::string id);
    std::shared_ptr<const PluginLibrary> plugin_;
    std::string id_;
    std::unique_ptr<HostServices> services_;
    sy_instance *instance_ = nullptr;
};

template <class Result>
PluginResult<Result>::~PluginResult() {
    if (result_ != nullptr) owner_->release(result_->owner);
}

}  // namespace switchyard
