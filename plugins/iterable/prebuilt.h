// Router mode: an input that is already a built request (its message has "statusCode",
// SPEC.md §1.2 / repo router case 3) goes straight to batching, classified by its endpoint.
#pragma once

#include "event_view.h"
#include "settings.h"

namespace iterable {

struct BuiltEvent;

// Only endpoints under this destination's own or Iterable's data-center base URLs are
// accepted, and the request's own headers are not reused (the destination's key is sent):
// an event must not be able to send a credential elsewhere.
bool build_prebuilt(Element message, const Settings &settings, BuiltEvent &out);

}  // namespace iterable
