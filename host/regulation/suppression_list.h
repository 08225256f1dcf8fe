// Which users' events ingestion drops for which destinations: the suppressing regulations, as
// rudder-server's gateway applies them (enterprise/suppress-user: by the event's userId; an
// event with only an anonymousId is never suppressed). Read by every ingestion thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host/regulation/regulation.h"

namespace switchyard::regulation {

class SuppressionList {
   public:
    // Replaces the list with the suppressing regulations among `regulations`.
    void replace(const std::vector<Regulation> &regulations);
    // Whether events of `user_id` must not reach destination `key` ("<workspace>/<id>").
    bool suppressed(std::string_view user_id, std::string_view key) const;
    size_t users() const;

   private:
    // userId → the suppressing regulations that name it.
    using Table = std::unordered_map<std::string, std::vector<const Regulation *>>;
    struct Snapshot {
        std::vector<Regulation> regulations;
        Table by_user;
    };
    mutable std::mutex mutex_;
    std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();

    std::shared_ptr<const Snapshot> current() const;
};

}  // namespace switchyard::regulation
