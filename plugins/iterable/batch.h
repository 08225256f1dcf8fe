// Router-mode batching (SPEC.md §8 with the README's deliberate differences): users/bulkUpdate
// and events/trackBulk items, catalog documents per catalog URL, unbatched commerce/alias,
// and each user's requests leaving in the order that user's events came in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "switchyard/plugin.hpp"
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

class RouterBatcher {
   public:
    // A bulk call carries at most `max_items` events (the host's cap; Iterable's own is lower or equal).
    RouterBatcher(const Settings &settings, size_t max_items, sy::TransformOutput &output);
    ~RouterBatcher();
    // Feeds successfully built events in input order.
    void add(uint32_t index, BuiltEvent &event);
    // Emits every open bucket, in order of its first event.
    void finish();

   private:
    struct Bucket;
    Bucket &open_bucket(const BuiltEvent &event);
    void flush_others_holding(const std::string &user, const Bucket *keep);
    void flush(Bucket &bucket);
    void emit_bulk(Bucket &bucket);
    void emit_catalog(Bucket &bucket);

    const Settings &settings_;
    size_t max_items_;
    sy::TransformOutput &output_;
    std::vector<std::unique_ptr<Bucket>> open_;
};

}  // namespace iterable
