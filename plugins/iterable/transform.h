// One RudderStack event → its Iterable request body (and token registration), as a pure
// function of (event, settings). Router batching (batch.h) and ABI glue build on this.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "categories.h"
#include "mapping.h"
#include "settings.h"

namespace iterable {

struct BuiltEvent {
    bool ok = false;
    BuildError error;                      // when !ok
    const Category *category = nullptr;
    std::string url;                       // absolute
    std::string body;                      // the whole request body; in bulk calls, one item
    std::string user_key;                  // userId, else anonymousId: the per-user order key
    // Catalog events (router mode): the document key and the document itself.
    std::string catalog_key;
    std::string catalog_document;
    bool has_catalog_document = false;
    // Identify with a device/browser token: the registration that rides along.
    const Category *registration = nullptr;
    std::string registration_url;
    std::string registration_body;

    // Back to the empty state, keeping string capacity (one BuiltEvent serves a whole call).
    void reset() {
        ok = false;
        error = {};
        category = registration = nullptr;
        has_catalog_document = false;
        for (std::string *s : {&url, &body, &user_key, &catalog_key, &catalog_document, &registration_url,
                               &registration_body})
            s->clear();
    }
};

enum class Mode : uint8_t { kProcessor, kRouter };

// Parses (with `parser`, reused across events) and maps one event. Never throws for bad input:
// failures come back in `error`.
void transform_event(simdjson::dom::parser &parser, std::string_view event_json, const Settings &settings, Mode mode,
                     BuiltEvent &out);

// The api key a category's requests carry ("" → no header).
const std::string &api_key_for(const Category &category, const Settings &settings);

}  // namespace iterable
