// Numbers written as JavaScript writes them, so request bodies match what a Node.js
// destination (and JSON.stringify) would send, digit for digit.
#pragma once

#include <string>

namespace sy::sdk {

// Number.prototype.toString() (and String(x)): shortest round-trip digits in JS layout,
// "NaN", "Infinity", "-Infinity"; -0 gives "0".
void append_js_number(std::string &out, double value);
std::string js_number_to_string(double value);

}  // namespace sy::sdk
