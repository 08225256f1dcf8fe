// Splitting a claimed batch by the connection each job came through (a source whose settings
// override gives the destination its own instance), without breaking any user's order.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "host/store/store.h"

namespace switchyard {

struct ConnectionBatch {
    std::string connection;    // what `connection_of` said for its jobs
    std::vector<size_t> jobs;  // indexes into the claimed jobs, in id order
};

struct ConnectionSplit {
    std::vector<ConnectionBatch> batches;  // in order of each one's first job
    std::vector<size_t> deferred;          // left for a later claim
};

// Groups `jobs` (as claimed: id order) by `connection_of(job)`. A user whose jobs need two
// connections keeps only those before the first change; the rest are deferred: not sent now,
// claimed again once the earlier ones are settled. So each user's jobs of this round sit in one
// batch, and the batches may go out one after another without reordering anyone's events.
ConnectionSplit split_by_connection(const std::vector<Job> &jobs,
                                    const std::function<std::string(const Job &)> &connection_of);

}  // namespace switchyard
