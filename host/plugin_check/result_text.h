// A transform result as text, so that two results compare byte for byte.
#pragma once

#include <string>

#include "switchyard/plugin.h"

namespace switchyard::plugin_check {

// Every request (method, URL, headers, body, event indexes, rate key) and every error (index,
// status, message), each string length-prefixed: two results give the same text only when they
// are the same. "no result" for NULL.
std::string result_text(const sy_transform_result *result);

}  // namespace switchyard::plugin_check
