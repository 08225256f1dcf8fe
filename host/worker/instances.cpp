// The worker's instance table and the recorder of host-API calls.
#include "host/worker/instances.h"

namespace switchyard::worker {

// Bounds what a plugin that logs in a loop can pile up between two calls.
constexpr size_t kMaxKeptEffects = 10000;

void Recorder::log(sy_log_level level, std::string_view message) {
    std::lock_guard lock(mutex_);
    if (effects_.size() < kMaxKeptEffects) effects_.push_back({wire::Effect::Kind::log, level, std::string(message)});
}

void Recorder::count(std::string_view name, uint64_t delta) {
    std::lock_guard lock(mutex_);
    if (effects_.size() < kMaxKeptEffects)
        effects_.push_back({wire::Effect::Kind::count, SY_LOG_INFO, std::string(name), delta});
}

void Recorder::gauge(std::string_view name, double value) {
    std::lock_guard lock(mutex_);
    if (effects_.size() < kMaxKeptEffects)
        effects_.push_back({wire::Effect::Kind::gauge, SY_LOG_INFO, std::string(name), 0, value});
}

std::vector<wire::Effect> Recorder::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(effects_, {});
}

void Instances::add(uint64_t key, Instance instance) {
    auto held = std::make_shared<const Instance>(std::move(instance));
    std::unique_lock lock(mutex_);
    by_key_[key] = std::move(held);
}

void Instances::remove(uint64_t key) {
    std::shared_ptr<const Instance> gone;  // destroyed outside the lock: destroy() may take long
    std::unique_lock lock(mutex_);
    if (auto it = by_key_.find(key); it != by_key_.end()) {
        gone = std::move(it->second);
        by_key_.erase(it);
    }
}

std::shared_ptr<const Instance> Instances::find(uint64_t key) const {
    std::shared_lock lock(mutex_);
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : it->second;
}

}  // namespace switchyard::worker
