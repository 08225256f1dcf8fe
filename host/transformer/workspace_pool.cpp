// Workspaces lent one call at a time, to callers that do not block (see workspace_pool.h).
#include "host/transformer/workspace_pool.h"

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

WorkspacePool::WorkspacePool(size_t count) {
    for (size_t i = 0; i < std::max<size_t>(count, 1); ++i) free_.push_back(std::make_unique<Workspace>());
}

void WorkspacePool::acquire(std::function<void(Lease)> then) {
    std::unique_ptr<Workspace> workspace;
    {
        std::lock_guard lock(mutex_);
        if (free_.empty()) {
            waiting_.push_back(std::move(then));
            return;
        }
        workspace = std::move(free_.back());
        free_.pop_back();
    }
    then(lease(std::move(workspace)));
}

WorkspacePool::Lease WorkspacePool::lease(std::unique_ptr<Workspace> workspace) {
    return Lease(workspace.release(), [this](Workspace *held) { give_back(std::unique_ptr<Workspace>(held)); });
}

void WorkspacePool::give_back(std::unique_ptr<Workspace> workspace) {
    workspace->trim();
    std::function<void(Lease)> next;
    {
        std::lock_guard lock(mutex_);
        if (waiting_.empty()) {
            free_.push_back(std::move(workspace));
            return;
        }
        next = std::move(waiting_.front());
        waiting_.pop_front();
    }
    next(lease(std::move(workspace)));
}

size_t usable_cores() {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 1;
    return std::max(CPU_COUNT(&cpus), 1);
}

}  // namespace switchyard::transformer
