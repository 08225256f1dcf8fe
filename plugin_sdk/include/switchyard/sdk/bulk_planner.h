// Router-mode request planning: which of a batch's events share a request, and the order the
// requests leave in, so that every user's events arrive in that user's order through as few
// requests as possible. Plugin-agnostic: a plugin names its kinds of request (a bulk endpoint, a
// catalog URL, a call sent one event per request) and their limits, adds its events, and builds
// one request per planned group.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sy::sdk {

// What one request of a kind may carry. A call made once per event has max_items 1.
struct BulkLimits {
    size_t max_items = 1;
    size_t max_bytes = SIZE_MAX;  // the sum of its items' sizes, in the plugin's own measure
};

// One request to make: its kind and the positions (as add() returned them) of the items it
// carries, ascending.
struct PlannedRequest {
    uint32_t kind = 0;
    std::vector<uint32_t> items;
};

// Collects a batch's items, then plans its requests. The contract the host relies on: read in
// sending order, the requests carry every user's items in that user's input order, so the host
// can hold a user's later requests back until the earlier ones succeed.
class BulkPlanner {
   public:
    // Declares a kind of request; returns the id add() takes.
    uint32_t add_kind(BulkLimits limits);
    // The batch's next item, in input order: whose order it keeps, which kind of request carries
    // it, and its size. An item larger than its kind's max_bytes goes alone. Returns its position.
    uint32_t add(std::string_view user, uint32_t kind, size_t bytes);

    // The requests in sending order, each filled up to its kind's limits.
    std::vector<PlannedRequest> plan() const;
    // Per kind, the fewest requests of that kind any plan keeping every user's order can make:
    // the most runs (a user's consecutive items of that kind) any one user has, or what the limits need
    // for all of the kind's items, whichever is larger. Their sum is not always reachable (users
    // with runs u,e,u,e and e,u,e,u need 5 requests, not 4), but a good plan stays close to it.
    std::vector<size_t> lower_bounds() const;

   private:
    struct Item {
        uint32_t user;
        uint32_t kind;
        size_t bytes;
    };
    struct UserKeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };

    void cut_to_limits(uint32_t kind, const std::vector<uint32_t> &step_items,
                       std::vector<PlannedRequest> &requests) const;

    std::vector<BulkLimits> kinds_;
    std::vector<Item> items_;
    std::unordered_map<std::string, uint32_t, UserKeyHash, std::equal_to<>> user_ids_;
};

}  // namespace sy::sdk
