// How hosts sharing one PostgreSQL divide the delivery work: users are hashed into partitions
// (postgres_schema.h), and each host leases an even share of them. A host claims only jobs of
// partitions it holds, so each user's jobs of a destination go out from one host at a time, in
// order. Leases are renewed every heartbeat (an eighth of the lease timeout) by a thread with its
// own connection; a host that stops renewing (killed, cut off) loses its leases when they expire,
// by the database's clock, and the others take them at their next heartbeat. When a host joins,
// the others drain their excess partitions (no new claims; released once the jobs claimed from
// them are settled) and the newcomer takes them.
// The same thread LISTENs for the wake-ups other hosts send when they commit jobs.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "host/store/postgres.h"

namespace switchyard {

// The partition of a user's jobs: the same on every host and every build.
int user_partition(std::string_view user_key);

// The channel hosts NOTIFY with the destinations that got jobs ('\n' between them; empty: any).
inline constexpr std::string_view kJobsChannel = "switchyard_jobs";

class PartitionLeases {
   public:
    struct Hooks {
        std::function<size_t(int partition)> jobs_in_flight;  // claimed from it and not settled yet
        std::function<void()> gained;                         // new partitions to claim from
        std::function<void(std::string_view destinations)> notified;  // a NOTIFY on kJobsChannel
    };

    // Joins the cluster and takes this host's first share before returning. Throws
    // std::runtime_error when the database cannot be reached.
    PartitionLeases(const std::string &url, const std::string &shown, std::chrono::milliseconds lease_timeout, Hooks hooks);
    // Hands this host's leases back, so the others need not wait for them to expire.
    ~PartitionLeases();
    PartitionLeases(const PartitionLeases &) = delete;
    PartitionLeases &operator=(const PartitionLeases &) = delete;

    // The partitions to claim from now: held, not draining, and renewed recently enough that no
    // other host can have taken them. Empty while renewals fail.
    std::vector<int> claimable() const;
    size_t held() const;
    bool holds(int partition) const;  // and renewed recently enough (as claimable())
    size_t live_hosts() const;  // at the last heartbeat, this one included
    // Heartbeats done: each may have seen other hosts' commits whose wake-up was lost (a
    // reconnect, a pooler that drops LISTEN).
    uint64_t heartbeats() const { return heartbeats_.load(); }

   private:
    void run();
    void beat();  // a heartbeat, its failure logged once per streak
    void heartbeat();
    void take_share(size_t share);
    void release_drained(size_t share);
    void receive_notifications();

    pg::Connection connection_;
    const std::string id_;  // this host in partition_leases.owner: unique per process start
    const std::chrono::milliseconds lease_timeout_;
    const std::chrono::milliseconds heartbeat_period_;
    const Hooks hooks_;

    mutable std::mutex mutex_;
    std::vector<int> held_;      // sorted
    std::vector<int> draining_;  // held, claimed from no more, released once settled
    std::chrono::steady_clock::time_point drain_deadline_;
    std::chrono::steady_clock::time_point valid_until_;
    size_t live_hosts_ = 1;
    bool failing_ = false;  // the last heartbeat failed (logged once per streak)

    std::atomic<uint64_t> heartbeats_{0};
    const int wake_;  // an eventfd: stops the thread's wait
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace switchyard
