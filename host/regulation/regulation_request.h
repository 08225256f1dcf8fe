// Reading a regulation request, RudderStack's regulation API body:
// {"regulationType": "suppress"|"suppress_with_delete"|"delete", "destinationIds": [...]?,
//  "users": [{"userId": "...", "email": "...", ...}]}.
#pragma once

#include <string>
#include <string_view>

#include "host/regulation/regulation.h"

namespace switchyard::regulation {

// The most users one regulation may name (each deletion is one request per user at Iterable).
inline constexpr size_t kMaxUsersPerRegulation = 1000;

struct RequestRead {
    Regulation regulation;  // not yet stored: id 0, unresolved
    std::string error;      // one sentence, naming no user; empty when accepted
};

// Every user needs a non-empty string `userId`, or, for a deletion only, an `email` (a
// suppression matches events by userId). Other members pass through to the plugins.
RequestRead read_request(std::string_view body);

}  // namespace switchyard::regulation
