// A transform result as text, so that two results compare byte for byte.
#pragma once

#include <string>

#include "host/plugin/destination.h"

namespace switchyard::plugin_check {

// Every request (kind, method, URL, headers, body, event indexes, rate key) and every error
// (index, outcome, status, message), each string length-prefixed: two results give the same text
// only when they are the same. "no result: <why>" for an unusable one.
std::string result_text(const TransformResult &result);

}  // namespace switchyard::plugin_check
