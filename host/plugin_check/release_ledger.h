// Counting the releases of transform results as the host's wrapper (Destination) makes them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "host/plugin/plugin_library.h"

namespace switchyard::plugin_check {

// Tracks every result owner a transform hands out until the host releases it. Destinations made
// from counted_plugin() go through the host's own wrapper, whose release reaches the plugin only
// after passing here. One ledger at a time per process (the plugin's release hook is a plain C
// function pointer, so it finds the ledger through a static).
class ReleaseLedger {
   public:
    explicit ReleaseLedger(std::shared_ptr<const PluginLibrary> plugin);
    ~ReleaseLedger();
    ReleaseLedger(const ReleaseLedger &) = delete;
    ReleaseLedger &operator=(const ReleaseLedger &) = delete;

    // The plugin with its release hook counted here; the ledger must outlive what is made from it.
    const std::shared_ptr<const PluginLibrary> &counted_plugin() const { return counted_; }

    // Call with the owner of every result a transform returned.
    void handed_out(const void *owner);

    // Empty when every owner handed out was released exactly once; else the first problem.
    std::string problem() const;

   private:
    static void release_through_ledger(sy_instance *instance, void *owner);
    void released(const void *owner);

    std::shared_ptr<const PluginLibrary> plugin_, counted_;
    mutable std::mutex mutex_;
    std::map<const void *, size_t> live_;  // owner -> results holding it
    size_t handed_out_ = 0, released_ = 0;
    std::string problem_;
};

}  // namespace switchyard::plugin_check
