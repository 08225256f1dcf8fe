// JSON.parse reads any integer literal as a double; simdjson refuses integers beyond 64 bits.
// Retrying such an event with those literals marked as doubles keeps it (as the reference would).
#pragma once

#include <string>
#include <string_view>

namespace iterable {

// A copy of `json` where every integer literal outside strings that has more than 18 digits
// gets ".0" appended, so that simdjson parses it as a double. Other text is unchanged.
std::string widen_big_integers(std::string_view json);

}  // namespace iterable
