// Group commit: concurrent writes (appends from ingestion, settlements from delivery) share one
// transaction written by one committer thread, so one fsync makes many callers' writes durable.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "host/store/store.h"

namespace switchyard {

// One caller's write, waiting for the commit that will hold it: events to append, or job
// settlements. Both stay owned by the caller, who is blocked in submit() until the commit is over.
struct PendingWrite {
    std::span<const IncomingEvent> events;
    std::span<const JobSettlement> settlements;
    int64_t now_ms = 0;
};

class GroupCommit {
   public:
    // Writes every pending write in one durable transaction; throws when it could not.
    using WriteAll = std::function<void(std::span<const PendingWrite *const>)>;

    explicit GroupCommit(WriteAll write_all);
    // Commits what is queued, then stops the committer thread.
    ~GroupCommit();
    GroupCommit(const GroupCommit &) = delete;
    GroupCommit &operator=(const GroupCommit &) = delete;

    // Returns once the commit holding `write` is durable; rethrows that commit's failure.
    void submit(const PendingWrite &write);
    // A batch's settlements, in parts: appends waiting behind one long transaction would hold
    // back every ingestion ack.
    void submit_settlements(std::span<const JobSettlement> settlements, int64_t now_ms);

   private:
    void run();

    WriteAll write_all_;
    std::mutex mutex_;
    std::condition_variable queued_;     // the committer waits for work
    std::condition_variable committed_;  // callers wait for their commit
    std::vector<const PendingWrite *> queue_;
    uint64_t next_ticket_ = 0;       // tickets given to callers, in queue order
    uint64_t committed_ticket_ = 0;  // every ticket below this one is settled
    // Failures of recent commits: [first ticket, end ticket) → error. Pruned as callers read them.
    struct Failure {
        uint64_t first, end;
        std::exception_ptr error;
        size_t unread;
    };
    std::vector<Failure> failures_;
    bool stopping_ = false;
    std::thread committer_;
};

}  // namespace switchyard
