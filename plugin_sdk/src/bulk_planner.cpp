// Request planning (see bulk_planner.h): the shortest common supersequence of the users' run
// sequences, found greedily, then each of its steps cut to the kind's limits.
#include "switchyard/sdk/bulk_planner.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace sy::sdk {
namespace {

constexpr uint32_t kNoRun = UINT32_MAX;

// A user's consecutive items of one kind: they may share a request.
struct Run {
    uint32_t kind;
    uint32_t first_item;
    uint32_t next = kNoRun;   // the same user's next run
    uint32_t step = kNoRun;   // the step of the plan that sends it
};

struct UserRuns {
    std::vector<Run> runs;
    std::vector<uint32_t> run_of_item;
    std::vector<uint32_t> first_run;  // per user
    std::vector<uint32_t> runs_left;  // per user: runs not yet placed in a step
};

template <class Item>
UserRuns runs_of(const std::vector<Item> &items, size_t user_count) {
    UserRuns r;
    r.run_of_item.reserve(items.size());
    r.first_run.assign(user_count, kNoRun);
    r.runs_left.assign(user_count, 0);
    std::vector<uint32_t> last_run(user_count, kNoRun);
    for (uint32_t i = 0; i < items.size(); ++i) {
        const Item &item = items[i];
        uint32_t &last = last_run[item.user];
        if (last == kNoRun || r.runs[last].kind != item.kind) {
            const auto run = static_cast<uint32_t>(r.runs.size());
            r.runs.push_back({item.kind, i});
            (last == kNoRun ? r.first_run[item.user] : r.runs[last].next) = run;
            last = run;
            ++r.runs_left[item.user];
        }
        r.run_of_item.push_back(last);
    }
    return r;
}

// The users whose next run is of each kind, and how many runs they have left.
struct Heads {
    std::vector<std::vector<uint32_t>> users;  // per kind
    std::vector<size_t> longest;               // per kind: the most runs left of one of its users
    std::vector<size_t> weight;                // per kind: the runs left of all its users

    explicit Heads(size_t kind_count) : users(kind_count), longest(kind_count, 0), weight(kind_count, 0) {}

    void wait(uint32_t user, uint32_t kind, size_t runs_left) {
        users[kind].push_back(user);
        longest[kind] = std::max(longest[kind], runs_left);
        weight[kind] += runs_left;
    }
    std::vector<uint32_t> take(uint32_t kind) {
        longest[kind] = weight[kind] = 0;
        return std::exchange(users[kind], {});
    }
    uint32_t earliest_item(const UserRuns &r, uint32_t kind) const {
        uint32_t first = UINT32_MAX;
        for (uint32_t user : users[kind]) first = std::min(first, r.runs[r.first_run[user]].first_item);
        return first;
    }
    bool before(uint32_t a, uint32_t b, const UserRuns &r) const {
        if (longest[a] != longest[b]) return longest[a] > longest[b];
        if (weight[a] != weight[b]) return weight[a] > weight[b];
        return earliest_item(r, a) < earliest_item(r, b);
    }
};

// The kind of the plan's next step. Exact shortest common supersequence is NP-hard for many
// sequences, so this is greedy, linear in the runs plus steps × kinds, and deterministic:
// - a kind sent one item per request first: its requests number the same wherever its steps
//   fall, and taking it frees its users for the next shared step;
// - then the kind that the user with the most runs left waits on (longest remaining first): that
//   user's runs bound the steps still needed, so a step that does not advance it is likely an
//   extra one; plain majority (the most waiting users) lets many light users starve the few
//   busy ones that set the bound;
// - on a tie, the kind whose users have the most runs left in all (weighted majority merge),
//   then the one whose waiting run starts earliest, which keeps requests near input order.
uint32_t next_kind(const Heads &heads, const UserRuns &r, const std::vector<BulkLimits> &kinds) {
    uint32_t best = kNoRun;
    for (uint32_t kind = 0; kind < kinds.size(); ++kind) {
        if (heads.users[kind].empty()) continue;
        if (kinds[kind].max_items == 1) return kind;
        if (best == kNoRun || heads.before(kind, best, r)) best = kind;
    }
    return best;
}

// Places every run in a step; returns each step's kind.
std::vector<uint32_t> assign_steps(UserRuns &r, const std::vector<BulkLimits> &kinds) {
    Heads heads(kinds.size());
    auto wait = [&](uint32_t user) { heads.wait(user, r.runs[r.first_run[user]].kind, r.runs_left[user]); };
    for (uint32_t user = 0; user < r.first_run.size(); ++user)
        if (r.first_run[user] != kNoRun) wait(user);
    std::vector<uint32_t> step_kinds;
    for (uint32_t kind; (kind = next_kind(heads, r, kinds)) != kNoRun;) {
        const auto step = static_cast<uint32_t>(step_kinds.size());
        step_kinds.push_back(kind);
        // A user's next run is of another kind, so nobody taken here waits on `kind` again yet.
        for (uint32_t user : heads.take(kind)) {
            Run &run = r.runs[r.first_run[user]];
            run.step = step;
            --r.runs_left[user];
            r.first_run[user] = run.next;
            if (run.next != kNoRun) wait(user);
        }
    }
    return step_kinds;
}

// The items of each step, in input order.
std::vector<std::vector<uint32_t>> items_by_step(const UserRuns &r, size_t step_count) {
    std::vector<std::vector<uint32_t>> steps(step_count);
    for (uint32_t i = 0; i < r.run_of_item.size(); ++i) steps[r.runs[r.run_of_item[i]].step].push_back(i);
    return steps;
}

}  // namespace

uint32_t BulkPlanner::add_kind(BulkLimits limits) {
    if (limits.max_items == 0) throw std::invalid_argument("A kind of request must carry at least one item.");
    kinds_.push_back(limits);
    return static_cast<uint32_t>(kinds_.size() - 1);
}

uint32_t BulkPlanner::add(std::string_view user, uint32_t kind, size_t bytes) {
    if (kind >= kinds_.size()) throw std::out_of_range("BulkPlanner::add got a kind add_kind never returned.");
    auto found = user_ids_.find(user);
    if (found == user_ids_.end())
        found = user_ids_.emplace(std::string(user), static_cast<uint32_t>(user_ids_.size())).first;
    items_.push_back({found->second, kind, bytes});
    return static_cast<uint32_t>(items_.size() - 1);
}

std::vector<PlannedRequest> BulkPlanner::plan() const {
    UserRuns runs = runs_of(items_, user_ids_.size());
    const std::vector<uint32_t> step_kinds = assign_steps(runs, kinds_);
    const std::vector<std::vector<uint32_t>> steps = items_by_step(runs, step_kinds.size());
    std::vector<PlannedRequest> requests;
    for (size_t step = 0; step < steps.size(); ++step) cut_to_limits(step_kinds[step], steps[step], requests);
    return requests;
}

// Fills requests in input order: a user whose run is cut keeps its order across the pieces.
void BulkPlanner::cut_to_limits(uint32_t kind, const std::vector<uint32_t> &step_items,
                                std::vector<PlannedRequest> &requests) const {
    const BulkLimits &limits = kinds_[kind];
    size_t bytes = 0;
    bool open = false;
    for (uint32_t item : step_items) {
        const size_t size = items_[item].bytes;
        if (open && (requests.back().items.size() >= limits.max_items || size > limits.max_bytes - bytes))
            open = false;
        if (!open) requests.push_back({kind, {}}), bytes = 0, open = true;
        requests.back().items.push_back(item);
        bytes += std::min(size, limits.max_bytes);
    }
}

std::vector<size_t> BulkPlanner::lower_bounds() const {
    const size_t kind_count = kinds_.size();
    std::vector<size_t> runs_per_user_kind(user_ids_.size() * kind_count, 0);
    for (const Run &run : runs_of(items_, user_ids_.size()).runs)
        ++runs_per_user_kind[items_[run.first_item].user * kind_count + run.kind];
    std::vector<size_t> bound(kind_count, 0), items(kind_count, 0), bytes(kind_count, 0);
    for (size_t k = 0; k < runs_per_user_kind.size(); ++k)
        bound[k % kind_count] = std::max(bound[k % kind_count], runs_per_user_kind[k]);
    for (const Item &item : items_) {
        ++items[item.kind];
        bytes[item.kind] += std::min(item.bytes, kinds_[item.kind].max_bytes);  // one over the limit goes alone
    }
    for (size_t kind = 0; kind < kind_count; ++kind) {
        const BulkLimits &limits = kinds_[kind];
        const size_t by_bytes = limits.max_bytes == SIZE_MAX ? 0 : (bytes[kind] + limits.max_bytes - 1) / limits.max_bytes;
        bound[kind] = std::max({bound[kind], (items[kind] + limits.max_items - 1) / limits.max_items, by_bytes});
    }
    return bound;
}

}  // namespace sy::sdk
