// The release ledger: the plugin's table copied with its release hook routed through here.
#include "host/plugin_check/release_ledger.h"

#include <atomic>
#include <sstream>
#include <stdexcept>

namespace switchyard::plugin_check {
namespace {

std::atomic<ReleaseLedger *> active_ledger{nullptr};
std::atomic<void (*)(sy_instance *, void *)> plugin_release{nullptr};

std::string pointer_text(const void *p) {
    std::ostringstream out;
    out << p;
    return out.str();
}

}  // namespace

ReleaseLedger::ReleaseLedger(std::shared_ptr<const PluginLibrary> plugin) : plugin_(std::move(plugin)) {
    ReleaseLedger *none = nullptr;
    if (!active_ledger.compare_exchange_strong(none, this)) throw std::logic_error("one release ledger at a time");
    plugin_release = plugin_->table().release;
    sy_plugin table = plugin_->table();
    table.release = release_through_ledger;
    // No library handle of its own: plugin_ keeps the file mapped while the copy is in use.
    counted_ = std::make_shared<PluginLibrary>(plugin_->path(), boost::dll::shared_library(), table);
}

ReleaseLedger::~ReleaseLedger() { active_ledger = nullptr; }

void ReleaseLedger::release_through_ledger(sy_instance *instance, void *owner) {
    // Recorded before the plugin frees it: a later result may then reuse the address.
    if (ReleaseLedger *ledger = active_ledger.load(); ledger != nullptr) ledger->released(owner);
    plugin_release.load()(instance, owner);
}

void ReleaseLedger::handed_out(const void *owner) {
    std::lock_guard lock(mutex_);
    ++handed_out_;
    if (++live_[owner] > 1 && problem_.empty())
        problem_ = "transform handed out one owner for two results alive at once, so the host cannot release each "
                   "exactly once (releasing one would free the other): owner " + pointer_text(owner) + ".";
}

void ReleaseLedger::released(const void *owner) {
    std::lock_guard lock(mutex_);
    ++released_;
    auto it = live_.find(owner);
    if (it == live_.end()) {
        if (problem_.empty()) problem_ = "The owner " + pointer_text(owner) + " was released more often than handed out.";
        return;
    }
    if (--it->second == 0) live_.erase(it);
}

std::string ReleaseLedger::problem() const {
    std::lock_guard lock(mutex_);
    if (!problem_.empty()) return problem_;
    if (released_ != handed_out_)
        return std::to_string(handed_out_) + " results were handed out and " + std::to_string(released_) +
               " released; each must be released exactly once.";
    return {};
}

}  // namespace switchyard::plugin_check
