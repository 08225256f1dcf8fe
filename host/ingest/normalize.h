// Normalisation of one incoming event into the RudderStack message the host stores: a pure
// function of the event, the endpoint and the moment of arrival (no I/O, no clock).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "host/filtering/delivery_filter.h"

namespace switchyard::ingest {

// Top-level members of a /v1/batch body that apply to every item (Segment batch semantics):
// an item without its own `sentAt` takes the batch's; `context` and `integrations` are merged
// key by key, the item's own keys winning.
struct BatchDefaults {
    std::optional<simdjson::dom::element> sent_at;
    std::optional<simdjson::dom::object> context;
    std::optional<simdjson::dom::object> integrations;
};

struct EventContext {
    std::string_view path_type;  // "track", ... for /v1/track etc.; empty: the item's own `type`
    int64_t received_at_ms = 0;
    std::string_view client_ip;
    const BatchDefaults *batch = nullptr;  // borrowed; nullptr outside a batch
    bool accept_prebuilt = false;          // the source is trusted: pre-built requests pass (prebuilt_request.h)
};

struct NormalizedEvent {
    std::string payload;   // the message as JSON text
    std::string user_key;  // userId if non-empty, else anonymousId (numbers as their JSON text)
    filtering::EventFacts facts;  // what decides which destinations get it (host/filtering)
};

struct NormalizeOutcome {
    NormalizedEvent event;
    std::string error;  // why the event is refused, a clause without capital or full stop
                        // ("it has neither ..."); empty when accepted
};

// The rules, in RudderStack's gateway + processor order:
// - `type` := the path's type for single-event endpoints; in a batch the item's `type` must be
//   identify, track, page, screen, group or alias.
// - userId or anonymousId (a non-blank string or a number) is required.
// - a pre-built destination request (a top-level `statusCode`) only from a trusted source: it
//   would have the host send a body of the sender's choosing with the destination's API key.
// - `messageId` kept when it is a non-blank string, else a fresh UUID v4.
// - `receivedAt` := arrival time (always overwritten; clients cannot claim it).
// - `timestamp`, with receivedAt rA: if originalTimestamp and sentAt parse and no timestamp is
//   given, rA − (sentAt − originalTimestamp); if timestamp and sentAt parse and there is no
//   originalTimestamp (Segment SDKs), the same with timestamp as the original, which is kept
//   as `originalTimestamp`; else a given timestamp (explicit client value wins); else
//   originalTimestamp alone (no skew known); else rA. Written as UTC with milliseconds.
// - `request_ip` := client address unless the event carries one (server-side SDKs forward it).
// - `writeKey` is dropped: a secret never reaches the store or the plugins.
NormalizeOutcome normalize_event(simdjson::dom::element event, const EventContext &context);

// The same from JSON text (tests, tools).
NormalizeOutcome normalize_event_text(std::string_view json, const EventContext &context);

// An event's per-user order key from its JSON text, as normalisation sets it (`user_key` above);
// empty when it has neither identifier or is not a JSON object (`switchyard send`).
std::string user_key_of_text(std::string_view json);

// True for the six message types of the RudderStack/Segment spec.
bool is_event_type(std::string_view type);

}  // namespace switchyard::ingest
