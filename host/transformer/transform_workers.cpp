// One transform call per core, on kept workspaces (see transform_workers.h).
#include "host/transformer/transform_workers.h"

#include <sched.h>

namespace switchyard::transformer {
namespace {

// A workspace keeps buffers up to this size between calls (rudder-server's processor batches of
// 100 events are ~0.25 MB here); a larger body's buffers are freed after its call.
constexpr size_t kKeptBytes = size_t{4} << 20;

}  // namespace

void Workspace::trim() {
    if (body.capacity() > kKeptBytes) std::string().swap(body);
    if (parsers.body.capacity() > kKeptBytes) parsers.body = simdjson::ondemand::parser();
    if (parsers.destination.capacity() > kKeptBytes) parsers.destination = simdjson::ondemand::parser();
}

TransformWorkers::TransformWorkers(size_t count) {
    for (size_t i = 0; i < std::max<size_t>(count, 1); ++i) free_.push_back(std::make_unique<Workspace>());
}

TransformWorkers::Lease TransformWorkers::acquire() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return !free_.empty(); });
    Workspace *workspace = free_.back().release();
    free_.pop_back();
    return Lease(workspace, [this](Workspace *held) { give_back(std::unique_ptr<Workspace>(held)); });
}

void TransformWorkers::give_back(std::unique_ptr<Workspace> workspace) {
    workspace->trim();
    {
        std::lock_guard lock(mutex_);
        free_.push_back(std::move(workspace));
    }
    freed_.notify_one();
}

size_t usable_cores() {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 1;
    return std::max(CPU_COUNT(&cpus), 1);
}

}  // namespace switchyard::transformer
