// A connection's settings: a destination's settings with a source's override
// (`destinations: [{id: …, settings: {…}}]` in the source's list) applied, for that source's events.
#pragma once

#include <string>

#include "host/config/workspace.h"

namespace switchyard {

// `destination` with each top-level key of the override replacing the destination's (shallow: a
// list or object in the override replaces the destination's whole value, so an override's
// `blacklistedEvents` is the list, not an addition to it). Every problem with an overridden key,
// or a missing one, names the override's line; the others the destination's. The result names
// `source_id` (DestinationConfig::source) and keeps the destination's id, plugin and delivery.
DestinationConfig merge_connection_settings(const DestinationConfig &destination, const std::string &source_id,
                                            const ConnectionOverride &override_of);

// `destination "iterable"`, or `destination "iterable" (source "app")` for a connection's settings.
std::string settings_owner(const DestinationConfig &settings);

}  // namespace switchyard
