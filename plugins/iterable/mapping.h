// Field mappings as data: each request body is a table of {dest, sources[], need, convert}
// rows, applied by one interpreter (build_object). The tables live in mapping_tables.cpp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "event_view.h"
#include "switchyard/sdk/json_writer.h"
#include "settings.h"

namespace iterable {

enum class Need : uint8_t { kOptional, kRequired };

enum class Convert : uint8_t {
    kCopy,              // the value as it is
    kString,            // String(x): ids
    kParseIntIfTruthy,  // campaignId/templateId: parseInt(x, 10) when truthy, else dropped
    kParseInt,          // parseInt(String(x), 10)
    kParseFloat,        // parseFloat(String(x))
    kDateMs,            // new Date(x).getTime(); written (null) even when no source is present
    kCategories,        // a string split on ',' (no trimming); other values as they are
    kPlatform,          // APNS for Apple device types, GCM otherwise (written even when absent)
    kObject,            // a nested object built by `nested` from the same event
    kItems,             // commerce items: `nested` per product of properties.products, else of properties
};

struct Mapping;

// Sources are dotted paths into the event; "$"-paths name values the builder supplies
// ($settings.preferUserId, $settings.mergeNestedObjects, $page.eventName, $catalog.id).
struct FieldRule {
    std::string_view dest;
    std::span<const std::string_view> sources;
    Need need = Need::kOptional;
    Convert convert = Convert::kCopy;
    const Mapping *nested = nullptr;
};

struct Mapping {
    std::span<const FieldRule> fields;
    bool requires_email_or_user_id;  // "userId or email is mandatory for this request"
};

// Values the event does not hold but a mapping may name.
struct BuildContext {
    const Settings &settings;
    std::string_view page_event_name;    // $page.eventName
    std::optional<Element> catalog_id;   // $catalog.id (omitted when absent)
};

struct BuildError {
    uint32_t status = 400;
    std::string message;
};

// Writes the object described by `mapping`; false (and `error`) when a rule fails.
bool build_object(const Mapping &mapping, const EventView &event, const BuildContext &context,
                  sy::sdk::JsonWriter &writer, BuildError &error);

// The message of a missing required field: Missing required value from "a" (or ["a","b"]).
std::string missing_value_message(std::span<const std::string_view> sources);

}  // namespace iterable
