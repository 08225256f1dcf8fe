// Writing parsed simdjson DOM values back out as compact JSON text, appended to a buffer.
#pragma once

#include <simdjson.h>

#include <string>

namespace switchyard::ingest {

// Appends `value` as minified JSON. Strings are re-escaped (json_text.h); numbers keep
// their integer form or the shortest text that round-trips the double.
void append_json(std::string &out, simdjson::dom::element value);
void append_json(std::string &out, simdjson::dom::object object);

// The text of a JSON number or a string's contents; empty for anything else.
std::string scalar_text(simdjson::dom::element value);

}  // namespace switchyard::ingest
