// Limits on an event's shape that its byte size alone does not bound: how deep objects and
// arrays nest (every JSON library downstream, plugins included, may recurse once per level)
// and how long one string or member name is.
#pragma once

#include <simdjson.h>

#include <string>

namespace switchyard::ingest {

struct ShapeLimits {
    size_t max_depth;         // the value itself is level 1
    size_t max_string_bytes;  // string values and member names
};

// Empty when `value` keeps within `limits`; else the first problem, as the end of a sentence
// naming where it is: `"properties.note" is a string of 70000 bytes, more than the limit of 65536`.
std::string shape_problem(simdjson::dom::element value, const ShapeLimits &limits);

}  // namespace switchyard::ingest
