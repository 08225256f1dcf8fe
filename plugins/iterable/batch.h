// Router-mode batching (SPEC.md §8 with the README's deliberate differences): users/bulkUpdate
// and events/trackBulk items, catalog documents per catalog URL, unbatched commerce/alias,
// and each user's requests leaving in the order that user's events came in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "switchyard/plugin.hpp"
#include "switchyard/sdk/bulk_planner.h"
#include "transform.h"

namespace iterable {

// Iterable's bulk endpoints (users/bulkUpdate, events/trackBulk) accept at most 1000 items
// and a 4 MB body per call (Iterable API docs; rudder-transformer iterable/config.js
// MAX_BATCH_SIZE / MAX_BATCH_SIZE_BYTES). Bytes are counted per item as compact JSON with
// non-ASCII written as \u escapes, which is never less than the UTF-8 size actually sent.
constexpr size_t kMaxBulkItems = 1000;
constexpr size_t kMaxBulkBytes = 4'000'000;
// What a whole bulk body can reach under kMaxBulkBytes of items (commas and the wrapping object
// add ~1 KB): the limit the plugin declares to the host (sy_plugin.max_body_bytes).
constexpr size_t kMaxBulkRequestBytes = size_t{4} * 1024 * 1024;
// Catalog bulk calls: 1000 documents (rudder-transformer iterable/config.js); no byte split.
constexpr size_t kMaxCatalogDocuments = 1000;

// The size measure of one bulk item (see kMaxBulkBytes).
size_t bulk_item_size(std::string_view item_json);

// A request as the ABI carries it, with this destination's headers.
sy::Request make_request(const Settings &settings, const Category &category, std::string url, std::string body,
                         std::vector<uint32_t> event_indexes, std::string_view rate_key);

// Router mode: collects a call's built events, then lets sy::sdk::BulkPlanner choose which share
// a request and the order requests leave in (each user's in that user's event order).
class RouterBatcher {
   public:
    // A bulk call carries at most `max_items` events (the host's cap; Iterable's own is lower or equal).
    RouterBatcher(const Settings &settings, size_t max_items, sy::TransformOutput &output);
    ~RouterBatcher();
    // Feeds successfully built events in input order.
    void add(uint32_t index, BuiltEvent &event);
    // Emits every request, in the planner's order.
    void finish();

   private:
    struct Kind;     // what the planner groups by: a bulk call, one catalog's URL, or unbatched
    struct Pending;  // one added event's share of its request
    uint32_t kind_of(const BuiltEvent &event);
    void emit(const sy::sdk::PlannedRequest &planned);
    void emit_bulk(iterable::Bucket bucket, const std::vector<uint32_t> &items);
    void emit_catalog(const std::string &url, const std::vector<uint32_t> &items);

    const Settings &settings_;
    size_t max_items_;
    sy::TransformOutput &output_;
    sy::sdk::BulkPlanner planner_;
    std::vector<Kind> kinds_;       // by the planner's kind id
    std::vector<Pending> pending_;  // by the planner's item position
    std::string items_;             // the bulk items' JSON, back to back (Pending says where)
};

}  // namespace iterable
