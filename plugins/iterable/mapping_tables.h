// The field-mapping tables of every Iterable request body (data; see mapping.h).
#pragma once

#include "mapping.h"

namespace iterable::tables {

extern const Mapping kIdentify;       // users/update (and each users/bulkUpdate item)
extern const Mapping kCatalogItem;    // catalogs/<type>/items, processor-mode body
extern const Mapping kTrack;          // events/track (and each events/trackBulk item)
extern const Mapping kPage;           // events/track for page and screen
extern const Mapping kPurchase;       // commerce/trackPurchase
extern const Mapping kCart;           // commerce/updateCart
extern const Mapping kAlias;          // users/updateEmail
extern const Mapping kDeviceToken;    // users/registerDeviceToken
extern const Mapping kBrowserToken;   // users/registerBrowserToken

// The same with `id` taken from the messageId (setting eventIdFromMessageId).
extern const Mapping kTrackIdFromMessageId;
extern const Mapping kPageIdFromMessageId;
extern const Mapping kPurchaseIdFromMessageId;

}  // namespace iterable::tables
