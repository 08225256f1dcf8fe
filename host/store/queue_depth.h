// Jobs added and removed per destination by one write transaction of a store, written to its
// queue_depth table before the transaction commits, so the count is exact and cheap.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "host/store/sqlite.h"

namespace switchyard {

class DepthChanges {
   public:
    void add(std::string_view destination, int64_t jobs) {
        auto it = changes_.find(destination);
        if (it == changes_.end()) it = changes_.emplace(std::string(destination), Change{}).first;
        (jobs > 0 ? it->second.added : it->second.removed) += jobs;
    }

    // `each(destination, jobs)` for every destination whose count changed, in name order.
    template <typename Each>
    void for_each_net_change(Each each) const {
        for (const auto &[destination, change] : changes_)
            if (change.added + change.removed != 0) each(std::string_view(destination), change.added + change.removed);
    }

    // SQLite's: `add_depth` is the upsert "queue_depth.jobs += ?2 for destination ?1".
    void write(sqlite::Statement &add_depth) const {
        for_each_net_change([&](std::string_view destination, int64_t jobs) { add_depth.bind(1, destination).bind(2, jobs).run(); });
    }

    std::vector<std::string_view> destinations_with_jobs_added() const {
        std::vector<std::string_view> destinations;
        for (const auto &[destination, change] : changes_)
            if (change.added > 0) destinations.push_back(destination);
        return destinations;
    }

   private:
    struct Change {
        int64_t added = 0;
        int64_t removed = 0;  // negative
    };
    std::map<std::string, Change, std::less<>> changes_;
};

}  // namespace switchyard
