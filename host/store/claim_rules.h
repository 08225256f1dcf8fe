// What a claim takes from the head of a destination's queue, the same in every store: the store
// scans its pending jobs in id order and asks, job by job. A user's first job met is their
// earliest pending one: if it is not due, or the router has the user in flight, every later job
// of theirs is skipped too, which is what keeps each user's order. A crash suspect goes alone,
// in a claim of its own; while another suspect is out, it waits like a retry.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "host/store/crash_journal.h"

namespace switchyard {

// A claim looks at no more than this many pending jobs of the destination: with a huge backlog
// whose head is retrying, each claim stays a bounded index walk. Jobs beyond it wait until the
// head moves.
inline constexpr size_t kClaimScanRows = 4096;

class ClaimRules {
   public:
    enum class Verdict { skip, take, take_alone, stop };

    ClaimRules(int64_t now_ms, const std::function<bool(std::string_view)> &user_busy, SuspectLane &suspects)
        : now_ms_(now_ms), user_busy_(user_busy), suspects_(suspects) {}

    // The job `job_id` of `user`, next due at `next_attempt_ms`; `taken` jobs claimed before it.
    // take_alone: take it and end the claim; stop: end the claim without it.
    Verdict judge(int64_t job_id, std::string_view user, int64_t next_attempt_ms, bool suspect, size_t taken) {
        auto may_go = users_.find(user);
        if (may_go == users_.end()) may_go = users_.emplace(std::string(user), !user_busy_(user)).first;
        if (!may_go->second) return Verdict::skip;
        if (next_attempt_ms > now_ms_) {
            may_go->second = false;  // waiting for its retry: the user's later jobs wait too
            return Verdict::skip;
        }
        if (!suspect) return Verdict::take;
        if (taken > 0) return Verdict::stop;
        if (!suspects_.take(job_id)) {
            may_go->second = false;
            return Verdict::skip;
        }
        return Verdict::take_alone;
    }

   private:
    struct ViewHash {
        using is_transparent = void;
        size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    const int64_t now_ms_;
    const std::function<bool(std::string_view)> &user_busy_;
    SuspectLane &suspects_;
    std::unordered_map<std::string, bool, ViewHash, std::equal_to<>> users_;  // may their jobs go out
};

}  // namespace switchyard
