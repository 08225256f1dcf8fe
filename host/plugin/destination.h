// A destination: one plugin instance made from settings, with RAII over the ABI's results. The
// instance runs in this process (Destination::create) or in a plugin worker (host/isolation/).
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
class ServicesRelay;

// A plugin's result as the host read it (plugin_results.h); the plugin's own result is released
// through the plugin when this goes away. False when unusable: the plugin returned NULL or broke
// the ABI's size rules, or its worker process ended during the call, and problem() says so in one
// sentence.
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
    // A result read from a plugin worker's answer: `read` points into `bytes`.
    PluginResult(std::shared_ptr<const void> bytes, Read read)
        : bytes_(std::move(bytes)), read_(std::move(read)) {}
    // The worker ended during the call (`crash`: "crashed (SIGSEGV)", "timed out after 60 s", ...).
    static PluginResult lost(const std::string &crash, const std::string &problem) {
        PluginResult result;
        result.crash_ = crash;
        result.problem_ = problem;
        return result;
    }
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
    // How the plugin's worker ended during the call; empty when it did not (host/isolation/).
    const std::string &crash() const { return crash_; }

   private:
    void swap(PluginResult &other) noexcept {
        std::swap(owner_, other.owner_);
        std::swap(holds_, other.holds_);
        std::swap(plugin_owner_, other.plugin_owner_);
        std::swap(read_, other.read_);
        std::swap(problem_, other.problem_);
        std::swap(bytes_, other.bytes_);
        std::swap(crash_, other.crash_);
    }
    std::shared_ptr<const Destination> owner_;
    bool holds_ = false;  // a plugin result to release
    void *plugin_owner_ = nullptr;
    std::shared_ptr<const void> bytes_;  // a worker's answer, which read_ points into
    Read read_;
    std::string problem_;
    std::string crash_;
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
    // Calls the plugin's init in this process. On failure returns null and sets `error` to one
    // sentence. The plugin's counters and gauges go to `metrics` when given; with a `relay` (a
    // plugin worker's), its logs, counters and gauges go there instead.
    static std::shared_ptr<Destination> create(std::shared_ptr<const PluginLibrary> plugin, std::string id,
                                               std::string_view settings_json, std::string &error,
                                               Metrics *metrics = nullptr, ServicesRelay *relay = nullptr);
    virtual ~Destination() = default;
    Destination(const Destination &) = delete;
    Destination &operator=(const Destination &) = delete;

    const std::string &id() const { return id_; }
    const PluginLibrary &plugin() const { return *plugin_; }
    // What the plugin logged as warnings during init, one sentence each (also in the log).
    const std::vector<std::string> &init_warnings() const { return init_warnings_; }

    // Skips the events whose message type the plugin does not take (errors with SY_SKIPPED and
    // skipped_by_host), transforms the others with at most `max_events_per_request` events per
    // request. An unusable result means: retry every event later.
    virtual TransformResult transform(std::span<const sy_borrowed_str> events,
                                      uint32_t max_events_per_request) const = 0;
    // `request` is the plugin's own (RequestRead::to_send), or one the host built.
    virtual SendResult send(const sy_request &request) const = 0;
    // The plugin's pacing limits, read by the ABI's size rules; none when it declares none (or
    // returns a list it broke, which is logged).
    virtual std::vector<sy_rate_limit> rate_limits() const = 0;

    // Whether the plugin offers delete_users (the ABI's optional user-deletion hook).
    bool can_delete_users() const { return plugin_->table().delete_users != nullptr; }
    // The requests that delete `users` (JSON objects) at the destination, sent with send();
    // event indexes refer to positions in `users`. Call only when can_delete_users().
    virtual TransformResult delete_users(std::span<const sy_borrowed_str> users) const = 0;

    // Asks the plugin whether the credentials work and the destination answers. Blocking.
    virtual Verification verify() const = 0;

    // Whether the instance runs in this process, so that its crash is the host's.
    virtual bool in_this_process() const = 0;

    // Hands a result's `owner` back to the plugin (PluginResult does, once).
    virtual void release(void *owner) const = 0;

   protected:
    Destination(std::shared_ptr<const PluginLibrary> plugin, std::string id)
        : plugin_(std::move(plugin)), id_(std::move(id)) {}
    std::shared_ptr<const PluginLibrary> plugin_;
    std::string id_;
    std::vector<std::string> init_warnings_;
};

template <class Read>
PluginResult<Read>::~PluginResult() {
    if (holds_) owner_->release(plugin_owner_);
}

}  // namespace switchyard
