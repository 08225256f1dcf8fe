// Routing rows (see categories.h); rate keys match the settings' rateLimits keys.
#include "categories.h"

#include "mapping_tables.h"

namespace iterable {
namespace categories {

const Category kIdentify{"identify", &tables::kIdentify, "users/update", Bucket::kUsers, KeyChoice::kApiKey,
                         "users/update"};
const Category kCatalog{"catalog", &tables::kCatalogItem, "catalogs/", Bucket::kCatalog, KeyChoice::kApiKey,
                        "catalogs"};
const Category kTrack{"track", &tables::kTrack, "events/track", Bucket::kEvents, KeyChoice::kApiKey,
                      "events/track", &tables::kTrackIdFromMessageId};
const Category kPage{"page", &tables::kPage, "events/track", Bucket::kEvents, KeyChoice::kApiKey, "events/track",
                     &tables::kPageIdFromMessageId};
const Category kScreen{"screen", &tables::kPage, "events/track", Bucket::kEvents, KeyChoice::kApiKey,
                       "events/track", &tables::kPageIdFromMessageId};
const Category kPurchase{"order completed", &tables::kPurchase, "commerce/trackPurchase", Bucket::kNone,
                         KeyChoice::kApiKey, "commerce/*", &tables::kPurchaseIdFromMessageId};
const Category kCart{"product added/removed", &tables::kCart, "commerce/updateCart", Bucket::kNone,
                     KeyChoice::kApiKey, "commerce/*"};
const Category kAlias{"alias", &tables::kAlias, "users/updateEmail", Bucket::kNone, KeyChoice::kApiKey,
                      "users/updateEmail"};
const Category kDeviceToken{"device token", &tables::kDeviceToken, "users/registerDeviceToken", Bucket::kNone,
                            KeyChoice::kDeviceApiKey, "users/registerDeviceToken"};
const Category kBrowserToken{"browser token", &tables::kBrowserToken, "users/registerBrowserToken", Bucket::kNone,
                             KeyChoice::kDeviceApiKey, "users/registerBrowserToken"};

}  // namespace categories

const BulkCall &bulk_call(Bucket bucket) {
    static const BulkCall kUsers{"users/bulkUpdate", "users", "users/bulkUpdate"};
    static const BulkCall kEvents{"events/trackBulk", "events", "events/trackBulk"};
    return bucket == Bucket::kUsers ? kUsers : kEvents;
}

}  // namespace iterable
