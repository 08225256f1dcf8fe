// What a destination's runner remembers of its plugin calls in this process that missed their
// deadline: the timeouts each job was in, and the worker threads still stuck in each instance.
// Thread-safe. Shared with the stuck threads, which may return after the runner has gone.
#pragma once

#include <map>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "host/delivery/event_outcome.h"
#include "host/plugin/destination.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace switchyard {

constexpr unsigned kTimeoutsToDeadLetter = 3;  // calls of one job that missed their deadline

class HungCalls {
   public:
    // `most_stuck`: threads that may be stuck in one instance before its destination stops claiming.
    explicit HungCalls(size_t most_stuck) : most_stuck_(most_stuck) {}

    // The outcomes of `jobs`, whose call was abandoned for `reason`: retry, or abort at a job's
    // kTimeoutsToDeadLetter-th timeout. Strikes are kept in memory only: a restart forgets them
    // (a call still stuck at exit leaves its jobs in the crash journal instead).
    std::vector<EventOutcome> timed_out(std::span<const Job> jobs, const std::string &reason);
    // Jobs delivered or dead-lettered need their strikes no more.
    void settled(std::span<const JobSettlement> settlements);
    // While a job has a strike, batches hold one job: the next strikes land on the job that hangs,
    // not on its batch-mates.
    bool one_at_a_time() const;

    void stuck(const Destination *instance);     // a thread was abandoned in one of its calls
    void returned(const Destination *instance);  // such a thread came back at last
    size_t stuck_in(const Destination *instance) const;
    // Whether an instance of `live` has `most_stuck` threads stuck in it: claiming more would
    // only strand more (a thread in plugin code cannot be killed).
    bool full(const LiveDestination &live) const;
    size_t most_stuck() const { return most_stuck_; }

   private:
    const size_t most_stuck_;
    mutable std::mutex mutex_;
    std::map<int64_t, unsigned> strikes_;             // by job id
    std::map<const Destination *, size_t> stuck_;     // threads by instance
};

}  // namespace switchyard
