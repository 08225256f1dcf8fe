// The plugin instances a worker holds for its host, by the key the host gave each, with what
// each reported through the host API since the host last asked.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "host/isolation/wire_calls.h"
#include "host/plugin/destination.h"
#include "host/plugin/host_services.h"

namespace switchyard::worker {

// Keeps an instance's log lines, counts and gauges until the reply to the call they came in.
class Recorder final : public ServicesRelay {
   public:
    void log(sy_log_level level, std::string_view message) override;
    void count(std::string_view name, uint64_t delta) override;
    void gauge(std::string_view name, double value) override;
    std::vector<wire::Effect> take();

   private:
    std::mutex mutex_;
    std::vector<wire::Effect> effects_;
};

struct Instance {
    std::shared_ptr<Recorder> recorder;  // before destination: it must outlive the plugin instance
    std::shared_ptr<Destination> destination;
};

class Instances {
   public:
    void add(uint64_t key, Instance instance);
    void remove(uint64_t key);
    // Null when there is none under `key`.
    std::shared_ptr<const Instance> find(uint64_t key) const;

   private:
    mutable std::shared_mutex mutex_;
    std::map<uint64_t, std::shared_ptr<const Instance>> by_key_;
};

}  // namespace switchyard::worker
