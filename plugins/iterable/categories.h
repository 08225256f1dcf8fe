// The one routing table: which event becomes which request (mapping, endpoint, API key,
// router-mode batch bucket and rate key). SPEC.md §3.3.
#pragma once

#include <string_view>

#include "mapping.h"

namespace iterable {

// How router mode groups a category's requests.
enum class Bucket : uint8_t {
    kNone,     // one request per event (commerce, alias, token registrations)
    kUsers,    // items of users/bulkUpdate
    kEvents,   // items of events/trackBulk
    kCatalog,  // documents of catalogs/<type>/items, per catalog URL
};

enum class KeyChoice : uint8_t { kApiKey, kDeviceApiKey };

struct Category {
    std::string_view name;
    const Mapping *mapping;
    std::string_view path;      // relative to the base URL; catalogs add "<type>/items"
    Bucket bucket;
    KeyChoice key;
    std::string_view rate_key;  // unbatched (processor-mode) rate key
    const Mapping *id_from_message_id_mapping = nullptr;  // with eventIdFromMessageId; null: `mapping`
};

namespace categories {
extern const Category kIdentify, kCatalog, kTrack, kPage, kScreen, kPurchase, kCart, kAlias, kDeviceToken,
    kBrowserToken;
}  // namespace categories

// The bulk call that carries a bucket's items in router mode.
struct BulkCall {
    std::string_view path;       // "users/bulkUpdate"
    std::string_view array_key;  // "users"
    std::string_view rate_key;
};
const BulkCall &bulk_call(Bucket bucket);  // kUsers or kEvents

}  // namespace iterable
