// One pass over the claimed jobs: each user is bound to the connection of their first job.
#include "host/router/connection_batches.h"

#include <map>

namespace switchyard {

ConnectionSplit split_by_connection(const std::vector<Job> &jobs,
                                    const std::function<std::string(const Job &)> &connection_of) {
    ConnectionSplit split;
    std::map<std::string, size_t, std::less<>> batch_of_connection;
    std::map<std::string, size_t, std::less<>> batch_of_user;
    std::map<std::string, bool, std::less<>> user_deferred;
    for (size_t i = 0; i < jobs.size(); ++i) {
        const std::string connection = connection_of(jobs[i]);
        auto [batch, fresh] = batch_of_connection.emplace(connection, split.batches.size());
        if (fresh) split.batches.push_back({connection, {}});
        auto [bound, first_job] = batch_of_user.emplace(jobs[i].user_key, batch->second);
        bool &deferred = user_deferred[jobs[i].user_key];
        deferred = deferred || (!first_job && bound->second != batch->second);
        if (deferred) split.deferred.push_back(i);
        else split.batches[batch->second].jobs.push_back(i);
    }
    std::erase_if(split.batches, [](const ConnectionBatch &b) { return b.jobs.empty(); });
    return split;
}

}  // namespace switchyard
