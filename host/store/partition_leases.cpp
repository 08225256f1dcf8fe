// Partition leases: an even share per live host, renewed every heartbeat, drained before release.
#include "host/store/partition_leases.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "host/log/log.h"
#include "host/store/postgres_schema.h"

namespace switchyard {
namespace {

constexpr int kHeartbeatsPerLease = 8;
// A host not seen for this many lease timeouts is forgotten: its row only made the list longer.
constexpr int kForgetAfterLeases = 100;
// A draining partition is handed over once the jobs claimed from it are settled, or after this
// many lease timeouts (past the longest plugin call most destinations allow) when some never are.
constexpr int kDrainLeases = 10;

// FNV-1a: stable across hosts, builds and restarts, unlike std::hash.
uint32_t fnv1a(std::string_view text) {
    uint32_t hash = 2166136261u;
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return hash;
}

std::string new_host_id() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    std::random_device random;
    return std::string(name) + "/" + std::to_string(::getpid()) + "/" + std::to_string(random());
}

std::string interval(std::chrono::milliseconds duration) { return std::to_string(duration.count()) + " milliseconds"; }

// Host i of n (in id order) leases this many partitions: they add up to all of them.
size_t share_of(size_t index, size_t hosts) {
    const size_t all = pg::kPartitions;
    return all / hosts + (index < all % hosts ? 1 : 0);
}

std::vector<int> partitions_in(const pg::Result &result) {
    std::vector<int> partitions;
    partitions.reserve(static_cast<size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) partitions.push_back(static_cast<int>(result.integer(row, 0)));
    std::sort(partitions.begin(), partitions.end());
    return partitions;
}

}  // namespace

int user_partition(std::string_view user_key) { return static_cast<int>(fnv1a(user_key) % pg::kPartitions); }

PartitionLeases::PartitionLeases(const std::string &url, const std::string &shown, std::chrono::milliseconds lease_timeout,
                                 Hooks hooks)
    : connection_(url, shown),
      id_(new_host_id()),
      lease_timeout_(lease_timeout),
      heartbeat_period_(lease_timeout / kHeartbeatsPerLease),
      hooks_(std::move(hooks)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (wake_ < 0) throw std::runtime_error("Store " + shown + ": no eventfd for the lease thread");
    try {
        heartbeat();
    } catch (...) {
        ::close(wake_);
        throw;
    }
    thread_ = std::thread([this] { run(); });
}

PartitionLeases::~PartitionLeases() {
    stopping_ = true;
    const uint64_t one = 1;
    if (::write(wake_, &one, sizeof one) < 0) log::warn("store", "Could not wake the lease thread; it stops within a heartbeat.");
    thread_.join();
    ::close(wake_);
    try {
        connection_.exec("UPDATE partition_leases SET owner = '', expires_at = '-infinity' WHERE owner = $1",
                         pg::Params().add(id_));
        connection_.exec("DELETE FROM cluster_hosts WHERE id = $1", pg::Params().add(id_));
    } catch (const std::exception &e) {
        log::warn("store", std::string("Could not hand the partition leases back (they expire by themselves): ") + e.what());
    }
}

std::vector<int> PartitionLeases::claimable() const {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() >= valid_until_) return {};
    std::vector<int> partitions;
    std::set_difference(held_.begin(), held_.end(), draining_.begin(), draining_.end(), std::back_inserter(partitions));
    return partitions;
}

size_t PartitionLeases::held() const {
    std::lock_guard lock(mutex_);
    return held_.size();
}

bool PartitionLeases::holds(int partition) const {
    std::lock_guard lock(mutex_);
    return std::chrono::steady_clock::now() < valid_until_ && std::binary_search(held_.begin(), held_.end(), partition);
}

size_t PartitionLeases::live_hosts() const {
    std::lock_guard lock(mutex_);
    return live_hosts_;
}

void PartitionLeases::run() {
    auto next = std::chrono::steady_clock::now() + heartbeat_period_;
    while (!stopping_) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now());
        pollfd fds[2] = {{PQsocket(connection_.raw()), POLLIN, 0}, {wake_, POLLIN, 0}};
        ::poll(fds, 2, static_cast<int>(std::max<int64_t>(0, wait.count())));
        if (stopping_) return;
        try {
            receive_notifications();
        } catch (const std::exception &e) {  // a wake-up that could not read the queues: the 1 s look finds them
            log::warn("store", std::string("Could not act on another host's wake-up: ") + e.what());
        }
        if (std::chrono::steady_clock::now() < next) continue;
        next = std::chrono::steady_clock::now() + heartbeat_period_;
        beat();
    }
}

void PartitionLeases::beat() {
    try {
        heartbeat();
        heartbeats_.fetch_add(1);
        if (failing_) log::info("store", "Renewing partition leases again.");
        failing_ = false;
    } catch (const std::exception &e) {
        if (!failing_) log::warn("store", std::string("Could not renew partition leases; claiming nothing until renewed: ") + e.what());
        failing_ = true;
    }
}

// Renews what this host holds, then takes or drains towards its share of the live hosts'.
void PartitionLeases::heartbeat() {
    const auto started = std::chrono::steady_clock::now();
    const std::string lease = interval(lease_timeout_);
    connection_.exec("LISTEN " + std::string(kJobsChannel));  // again after a reconnect
    connection_.exec("INSERT INTO cluster_hosts(id, seen_at) VALUES($1, clock_timestamp()) "
                     "ON CONFLICT(id) DO UPDATE SET seen_at = EXCLUDED.seen_at",
                     pg::Params().add(id_));
    connection_.exec("DELETE FROM cluster_hosts WHERE seen_at < clock_timestamp() - $1::interval",
                     pg::Params().add(interval(lease_timeout_ * kForgetAfterLeases)));
    const pg::Result live = connection_.exec(
        "SELECT id FROM cluster_hosts WHERE seen_at > clock_timestamp() - $1::interval ORDER BY id", pg::Params().add(lease));
    size_t index = 0;
    while (index < static_cast<size_t>(live.rows()) && live.text(static_cast<int>(index), 0) != id_) ++index;
    const std::vector<int> renewed = partitions_in(connection_.exec(
        "UPDATE partition_leases SET expires_at = clock_timestamp() + $2::interval WHERE owner = $1 RETURNING user_partition",
        pg::Params().add(id_).add(lease)));
    const size_t hosts = std::max<size_t>(1, static_cast<size_t>(live.rows()));
    const size_t share = share_of(index, hosts);
    {
        std::lock_guard lock(mutex_);
        held_ = renewed;
        std::vector<int> still;
        std::set_intersection(draining_.begin(), draining_.end(), held_.begin(), held_.end(), std::back_inserter(still));
        draining_ = held_.size() > share ? std::move(still) : std::vector<int>{};
        // The leases now run until at least `started` + the timeout; stop a heartbeat short of it.
        valid_until_ = started + lease_timeout_ - heartbeat_period_;
        live_hosts_ = hosts;
    }
    if (renewed.size() < share) take_share(share);
    if (renewed.size() > share) release_drained(share);
}

void PartitionLeases::take_share(size_t share) {
    const std::vector<int> gained = partitions_in(connection_.exec(
        "UPDATE partition_leases SET owner = $1, expires_at = clock_timestamp() + $2::interval WHERE user_partition IN "
        "(SELECT user_partition FROM partition_leases WHERE owner = '' OR expires_at < clock_timestamp() "
        "ORDER BY user_partition LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING user_partition",
        pg::Params().add(id_).add(interval(lease_timeout_)).add(static_cast<int64_t>(share - held()))));
    if (gained.empty()) return;
    size_t now_held = 0;
    {
        std::lock_guard lock(mutex_);
        std::vector<int> all;
        std::set_union(held_.begin(), held_.end(), gained.begin(), gained.end(), std::back_inserter(all));
        held_ = std::move(all);
        now_held = held_.size();
    }
    log::info("store", "Took " + std::to_string(gained.size()) + " partition(s); holding " + std::to_string(now_held) +
                           " of " + std::to_string(pg::kPartitions) + ".");
    hooks_.gained();
}

// Drains the highest partitions beyond the share: from this heartbeat on they are claimed from
// no more, and from a later one (a claim that began before may still be running now) each is
// handed back once nothing claimed from it is unsettled, or once kDrainLeases have passed.
void PartitionLeases::release_drained(size_t share) {
    std::vector<int> draining;
    bool deadline_passed = false;
    {
        std::lock_guard lock(mutex_);
        if (draining_.empty()) {
            draining_.assign(held_.end() - static_cast<std::ptrdiff_t>(held_.size() - share), held_.end());
            drain_deadline_ = std::chrono::steady_clock::now() + kDrainLeases * lease_timeout_;
            return;
        }
        draining = draining_;
        deadline_passed = std::chrono::steady_clock::now() >= drain_deadline_;
    }
    std::vector<int> released;
    for (int partition : draining)
        if (deadline_passed || hooks_.jobs_in_flight(partition) == 0) released.push_back(partition);
    if (released.empty()) return;
    connection_.exec("UPDATE partition_leases SET owner = '', expires_at = '-infinity' "
                     "WHERE owner = $1 AND user_partition = ANY($2::int[])",
                     pg::Params().add(id_).add(pg::array_literal(released)));
    std::lock_guard lock(mutex_);
    for (int partition : released) {
        std::erase(held_, partition);
        std::erase(draining_, partition);
    }
    log::info("store", "Handed " + std::to_string(released.size()) + " partition(s) to joining hosts; holding " +
                           std::to_string(held_.size()) + ".");
}

void PartitionLeases::receive_notifications() {
    PGconn *raw = connection_.raw();
    if (PQconsumeInput(raw) == 0) return;  // broken: the next heartbeat reconnects
    while (PGnotify *notification = PQnotifies(raw)) {
        hooks_.notified(notification->extra);
        PQfreemem(notification);
    }
}

}  // namespace switchyard
