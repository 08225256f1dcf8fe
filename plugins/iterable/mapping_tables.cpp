// Field mappings of every request body, after rudder-transformer's iterable/data/*.json and
// GenericFieldMapping.json (precedence lists) — SPEC.md §3.2, §4, §5, §6.
#include "mapping_tables.h"

#include <array>

namespace iterable::tables {
namespace {

using sv = std::string_view;

// Generic precedences (SPEC §3.2).
constexpr sv kUserId[] = {"userId", "traits.userId", "traits.id", "context.traits.userId", "context.traits.id",
                          "anonymousId"};
constexpr sv kCreatedAt[] = {"traits.createdAt", "context.traits.createdAt", "timestamp", "originalTimestamp"};
constexpr sv kTraitsEmail[] = {"traits.email", "context.traits.email"};
constexpr sv kTraits[] = {"traits", "context.traits"};
constexpr sv kPropertiesEmail[] = {"properties.email", "context.traits.email"};
constexpr sv kProperties[] = {"properties"};
constexpr sv kCampaignId[] = {"properties.campaignId"};
constexpr sv kTemplateId[] = {"properties.templateId"};
constexpr sv kPreferUserId[] = {"$settings.preferUserId"};
constexpr sv kMergeNested[] = {"$settings.mergeNestedObjects"};

constexpr FieldRule kIdentifyRules[] = {
    {"email", kTraitsEmail},
    {"dataFields", kTraits},
    {"userId", kUserId},
    {"preferUserId", kPreferUserId},
    {"mergeNestedObjects", kMergeNested},
};

constexpr sv kRootTraits[] = {"traits"};
constexpr sv kCatalogId[] = {"$catalog.id"};
constexpr FieldRule kCatalogRules[] = {
    {"update", kRootTraits, Need::kRequired},
    {"catalogId", kCatalogId},
};

constexpr sv kEventId[] = {"properties.event_id"};
constexpr sv kEvent[] = {"event"};
constexpr FieldRule kTrackRules[] = {
    {"email", kPropertiesEmail},
    {"dataFields", kProperties},
    {"userId", kUserId},
    {"id", kEventId, Need::kOptional, Convert::kString},
    {"eventName", kEvent},
    {"createdAt", kCreatedAt, Need::kOptional, Convert::kDateMs},
    {"campaignId", kCampaignId, Need::kOptional, Convert::kParseIntIfTruthy},
    {"templateId", kTemplateId, Need::kOptional, Convert::kParseIntIfTruthy},
};

constexpr sv kPageEventName[] = {"$page.eventName"};
constexpr FieldRule kPageRules[] = {
    {"email", kPropertiesEmail},
    {"dataFields", kProperties},
    {"userId", kUserId},
    {"id", {}, Need::kOptional, Convert::kString},  // none in the reference; see eventIdFromMessageId below
    {"eventName", kPageEventName},
    {"createdAt", kCreatedAt, Need::kOptional, Convert::kDateMs},
    {"campaignId", kCampaignId, Need::kOptional, Convert::kParseIntIfTruthy},
    {"templateId", kTemplateId, Need::kOptional, Convert::kParseIntIfTruthy},
};

// Commerce: the user object (same sources as identify) and one item per product.
constexpr FieldRule kCommerceUserRules[] = {
    {"email", kTraitsEmail},
    {"dataFields", kTraits},
    {"userId", kUserId},
    {"preferUserId", kPreferUserId},
    {"mergeNestedObjects", kMergeNested},
};
constexpr Mapping kCommerceUser{kCommerceUserRules, true};

constexpr sv kProductId[] = {"product_id"};
constexpr sv kSku[] = {"sku"};
constexpr sv kName[] = {"name"};
constexpr sv kDescription[] = {"description"};
constexpr sv kCategory[] = {"category"};
constexpr sv kPrice[] = {"price"};
constexpr sv kQuantity[] = {"quantity"};
constexpr sv kImageUrl[] = {"image_url"};
constexpr sv kUrl[] = {"url"};
constexpr FieldRule kItemRules[] = {
    {"id", kProductId, Need::kRequired},
    {"sku", kSku},
    {"name", kName, Need::kRequired},
    {"description", kDescription},
    {"categories", kCategory, Need::kOptional, Convert::kCategories},
    {"price", kPrice, Need::kRequired, Convert::kParseFloat},
    {"quantity", kQuantity, Need::kRequired, Convert::kParseInt},
    {"imageUrl", kImageUrl},
    {"url", kUrl},
    {"dataFields", kProperties},
};
constexpr Mapping kItem{kItemRules, false};

constexpr sv kUserObject[] = {"$object"};
constexpr sv kProducts[] = {"properties.products", "properties"};
constexpr sv kOrderId[] = {"properties.order_id", "properties.orderId", "properties.event_id"};
constexpr sv kTotal[] = {"properties.total"};
// Order matters: it is the reference's error precedence (total, then user, then items).
constexpr FieldRule kPurchaseRules[] = {
    {"dataFields", kProperties},
    {"id", kOrderId, Need::kOptional, Convert::kString},
    {"createdAt", kCreatedAt, Need::kOptional, Convert::kDateMs},
    {"campaignId", kCampaignId, Need::kOptional, Convert::kParseIntIfTruthy},
    {"templateId", kTemplateId, Need::kOptional, Convert::kParseIntIfTruthy},
    {"total", kTotal, Need::kRequired, Convert::kParseFloat},
    {"user", kUserObject, Need::kOptional, Convert::kObject, &kCommerceUser},
    {"items", kProducts, Need::kOptional, Convert::kItems, &kItem},
};

constexpr FieldRule kCartRules[] = {
    {"user", kUserObject, Need::kOptional, Convert::kObject, &kCommerceUser},
    {"items", kProducts, Need::kOptional, Convert::kItems, &kItem},
};

constexpr sv kPreviousId[] = {"previousId"};
constexpr sv kRootUserId[] = {"userId"};
constexpr FieldRule kAliasRules[] = {
    {"currentEmail", kPreviousId, Need::kRequired},
    {"newEmail", kRootUserId, Need::kRequired},
};

constexpr sv kDeviceToken[] = {"context.device.token"};
constexpr sv kDeviceName[] = {"context.device.name"};
constexpr sv kDeviceType[] = {"context.device.type"};
constexpr FieldRule kDeviceRules[] = {
    {"token", kDeviceToken, Need::kRequired},
    {"applicationName", kDeviceName},
    {"dataFields", kProperties},
    {"platform", kDeviceType, Need::kOptional, Convert::kPlatform},
};
constexpr Mapping kDevice{kDeviceRules, false};

constexpr FieldRule kDeviceTokenRules[] = {
    {"email", kTraitsEmail},
    {"userId", kUserId},
    {"preferUserId", kPreferUserId},
    {"device", kUserObject, Need::kOptional, Convert::kObject, &kDevice},
};

constexpr sv kOsToken[] = {"context.os.token"};
constexpr FieldRule kBrowserTokenRules[] = {
    {"browserToken", kOsToken, Need::kRequired},
    {"email", kTraitsEmail},
    {"userId", kUserId},
};

// eventIdFromMessageId: Iterable overwrites an event or purchase whose `id` it already has, so a
// resend carrying the same id is not counted twice. Which id wins follows Segment's Iterable
// destination (segmentio/action-destinations, destinations/iterable/trackEvent and trackPurchase):
// an event's id is its messageId (Segment reads no property for it); a purchase's id is its
// order id, the messageId only when it has none.
constexpr sv kEventIdSources[] = {"messageId", "properties.event_id"};
constexpr sv kPageIdSources[] = {"messageId"};
constexpr sv kPurchaseIdSources[] = {"properties.order_id", "properties.orderId", "properties.event_id", "messageId"};

// `rules` with the sources of its "id" row replaced.
template <size_t N>
constexpr std::array<FieldRule, N> with_id_sources(const FieldRule (&rules)[N], std::span<const sv> sources) {
    std::array<FieldRule, N> out{};
    for (size_t i = 0; i < N; ++i) {
        out[i] = rules[i];
        if (rules[i].dest == "id") out[i].sources = sources;
    }
    return out;
}

constexpr auto kTrackIdRules = with_id_sources(kTrackRules, kEventIdSources);
constexpr auto kPageIdRules = with_id_sources(kPageRules, kPageIdSources);
constexpr auto kPurchaseIdRules = with_id_sources(kPurchaseRules, kPurchaseIdSources);

}  // namespace

const Mapping kIdentify{kIdentifyRules, true};
const Mapping kCatalogItem{kCatalogRules, false};
const Mapping kTrack{kTrackRules, true};
const Mapping kPage{kPageRules, true};
const Mapping kPurchase{kPurchaseRules, false};
const Mapping kCart{kCartRules, false};
const Mapping kAlias{kAliasRules, false};
const Mapping kDeviceToken{kDeviceTokenRules, false};
const Mapping kBrowserToken{kBrowserTokenRules, true};

const Mapping kTrackIdFromMessageId{kTrackIdRules, true};
const Mapping kPageIdFromMessageId{kPageIdRules, true};
const Mapping kPurchaseIdFromMessageId{kPurchaseIdRules, false};

}  // namespace iterable::tables
