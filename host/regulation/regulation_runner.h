// Carries out the stored regulations, on a thread of its own: keeps the suppression list in step
// with the store, purges a suppressed user's pending jobs, and has each destination's plugin
// delete the users (delete_users + send), retried with the destination's backoff and retry
// window, then purges their dead letters. Progress is written back to the store after each
// step, so a restart resumes where it stopped. Regulations added by `switchyard regulation add`
// beside a running host are picked up within a second.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "host/regulation/regulation.h"
#include "host/regulation/suppression_list.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace switchyard::regulation {

class RegulationRunner {
   public:
    using CurrentSnapshot = std::function<std::shared_ptr<const Snapshot>()>;
    RegulationRunner(Store &store, CurrentSnapshot current, SuppressionList &suppressions);
    ~RegulationRunner();
    RegulationRunner(const RegulationRunner &) = delete;
    RegulationRunner &operator=(const RegulationRunner &) = delete;

    // A sentence naming the regulation's destinationIds that match no running destination, or
    // empty: such a regulation would apply to nothing, which is a typo rather than an intent.
    std::string unknown_destinations(const Regulation &regulation) const;
    // Re-reads the regulations and refreshes the suppression list now (before an add is answered).
    std::vector<Regulation> refresh();
    void start();
    void wake();
    void stop();

   private:
    void run();
    void pass();
    bool advance(Regulation &regulation, const Snapshot &running, int64_t now_ms);
    void resolve(Regulation &regulation, const Snapshot &running) const;
    void purge_jobs(const Regulation &regulation, const std::string &key, Progress &progress);
    void delete_users(const Regulation &regulation, const std::string &key, const LiveDestination &live,
                      Progress &progress, int64_t now_ms);

    Store &store_;
    CurrentSnapshot current_;
    SuppressionList &suppressions_;
    std::mt19937_64 random_{std::random_device{}()};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
};

}  // namespace switchyard::regulation
