// Group commit: concurrent writes share one transaction written by one committer thread, so
// one fsync makes many callers' writes durable.
#include "host/store/group_commit.h"

#include <algorithm>

namespace switchyard {
namespace {

constexpr size_t kSettlementsPerCommit = 500;  // see submit_settlements()

}  // namespace

GroupCommit::GroupCommit(WriteAll write_all) : write_all_(std::move(write_all)), committer_([this] { run(); }) {}

GroupCommit::~GroupCommit() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_one();
    committer_.join();
}

void GroupCommit::submit(const PendingWrite &write) {
    std::unique_lock lock(mutex_);
    const uint64_t ticket = next_ticket_++;
    queue_.push_back(&write);
    queued_.notify_one();
    committed_.wait(lock, [&] { return committed_ticket_ > ticket; });
    auto failure = std::find_if(failures_.begin(), failures_.end(),
                                [&](const Failure &f) { return ticket >= f.first && ticket < f.end; });
    if (failure == failures_.end()) return;
    std::exception_ptr error = failure->error;
    if (--failure->unread == 0) failures_.erase(failure);
    std::rethrow_exception(error);
}

void GroupCommit::submit_settlements(std::span<const JobSettlement> settlements, int64_t now_ms) {
    for (size_t first = 0; first < settlements.size(); first += kSettlementsPerCommit)
        submit(PendingWrite{{}, settlements.subspan(first, std::min(kSettlementsPerCommit, settlements.size() - first)), now_ms});
}

// While one commit is being written and fsynced, the next callers queue up; they all go into
// the following commit. Under load the batches grow by themselves, with no timer to tune.
void GroupCommit::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to commit
        std::vector<const PendingWrite *> batch;
        batch.swap(queue_);
        const uint64_t first = committed_ticket_, end = first + batch.size();
        lock.unlock();
        std::exception_ptr error;
        try {
            write_all_(batch);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        if (error) failures_.push_back({first, end, error, batch.size()});
        committed_ticket_ = end;
        committed_.notify_all();
    }
}

}  // namespace switchyard
