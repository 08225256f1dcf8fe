// A plugin's request as the JSON object the CLI prints: {"kind","method","endpoint","headers","body"}.
#pragma once

#include <string>

#include "host/plugin/plugin_results.h"

namespace switchyard::cli {

// The body is embedded as JSON when the request declares a JSON Content-Type, else as a string.
void append_request_json(std::string &out, const RequestRead &request);

}  // namespace switchyard::cli
