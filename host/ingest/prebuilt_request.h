// Pre-built destination requests: the shape a destination plugin passes through as a request
// already built (RudderStack's router convention), which only a trusted source may send.
#pragma once

#include <simdjson.h>

namespace switchyard::ingest {

// True when `event` has a top-level "statusCode" member, whatever its value or the other
// members: plugins (plugins/iterable/transform.cpp) take that member alone as the mark, and
// then read `endpoint` and `body`, so requiring those too would let some marked events through.
bool is_prebuilt_request(simdjson::dom::object event);

}  // namespace switchyard::ingest
