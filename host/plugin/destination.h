// A destination: one plugin instance made from settings, with RAII over the ABI's results.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/metrics/metrics.h"
#include "host/plugin/plugin_library.h"
#include "host/plugin/plugin_results.h"

namespace switchyard {

class Destination;
class HostServices;

// A plugin's result as the host read it (plugin_results.h); the plugin's own result is released
// through the plugin when this goes away. False when unusable: the plugin returned NULL or broke
// the ABI's size rules, and problem() says so in one sentence.
template <class Read>
class PluginResult {
   public:
    PluginResult() = default;
    PluginResult(std::shared_ptr<const Destination> owner, bool holds, void *plugin_owner, Read read,
                 std::string problem)
        : owner_(std::move(owner)),
          holds_(holds),
          plugin_owner_(plugin_owner),
          read_(std::move(read)),
          problem_(std::move(problem)) {}
    PluginResult(PluginResult &&other) noexcept { swap(other); }
    PluginResult &operator=(PluginResult &&other) noexcept {
        PluginResult(std::move(other)).swap(*this);  // cppcheck-suppress accessMoved ; `other` is not used after the move
        return *this;
    }
    ~PluginResult();

    explicit operator bool() const { return problem_.empty(); }
    const Read *operator->() const { return &read_; }
    const Read &operator*() const { return read_; }
    const std::string &problem() const { return problem_; }
    // Whether a plugin result is held (and released with this), and the `owner` it handed out.
    bool holds_plugin_result() const { return holds_; }
    void *plugin_owner() const { return plugin_owner_; }

   private:
    void swap(PluginResult &other) noexcept {
        std::swap(owner_, other.owner_);
        std::swap(holds_, other.holds_);
        std::swap(plugin_owner_, other.plugin_owner_);
        std::swap(read_, other.read_);
        std::swap(problem_, other.problem_);
    }
    std::shared_ptr<const Destination> owner_;
    bool holds_ = false;  // a plugin result to release
    void *plugin_owner_ = nullptr;
    Read read_;
    std::string problem_;
};

using TransformResult = PluginResult<TransformRead>;
using SendResult = PluginResult<SendRead>;

// What the plugin's verify hook said.
struct Verification {
    bool checked = false;     // false: the plugin has no verify hook
    sy_outcome outcome = SY_OK;
    std::string message;      // one sentence when not SY_OK
};

class Destination : public std::enable_shared_from_this<Destination> {
   public:
    // Calls the plugin's init. On failure returns null and sets `error` to one sentence. The
    // plugin's counters and gauges go to `metrics` when given.
    static std::shared_ptr<Destination> create(std::shared_ptr<const PluginLibrary> plugin, std::string id,
                                               std::string_view settings_json, std::string &error,
                                               Metrics *metrics = nullptr);
    ~Destination();
    Destination(const Destination &) = delete;
    Destination &operator=(const Destination &) = delete;

    const std::string &id() const { return id_; }
    const PluginLibrary &plugin() const { return *plugin_; }
    // What the plugin logged as warnings during init, one sentence each (also in the log).
    const std::vector<std::string> &init_warnings() const { return init_warnings_; }

    // Skips the events whose message type the plugin does not take (errors with SY_SKIPPED and
    // skipped_by_host), transforms the others with at most `max_events_per_request` events per
    // request. An unusable result means: retry every event later.
    TransformResult transform(std::span<const sy_borrowed_str> events, uint32_t max_events_per_request) const;
    // `request` is the plugin's own (RequestRead::as_made), or one the host built.
    SendResult send(const sy_request &request) const;
    // The plugin's pacing limits, read by the ABI's size rules; none when it declares none (or
    // returns a list it broke, which is logged).
    std::vector<sy_rate_limit> rate_limits() const;

    // Whether the plugin offers delete_users (the ABI's optional user-deletion hook).
    bool can_delete_users() const;
    // The requests that delete `users` (JSON objects) at the destination, sent with send();
    // event indexes refer to positions in `users`. Call only when can_delete_users().
    TransformResult delete_users(std::span<const sy_borrowed_str> users) const;

    // Asks the plugin whether the credentials work and the destination answers. Blocking.
    Verification verify() const;

    void release(void *owner) const;

   private:
    Destination(std::shared_ptr<const PluginLibrary> plugin, std::string id, Metrics *metrics);
    std::shared_ptr<const PluginLibrary> plugin_;
    std::string id_;
    std::unique_ptr<HostServices> services_;
    sy_instance *instance_ = nullptr;
    std::vector<std::string> init_warnings_;
};

template <class Read>
PluginResult<Read>::~PluginResult() {
    if (holds_) owner_->release(plugin_owner_);
}

}  // namespace switchyard
