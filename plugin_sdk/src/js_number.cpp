// Number.prototype.toString() in C++ (see js_number.h).
#include "switchyard/sdk/js_number.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sy::sdk {

void append_js_number(std::string &out, double value) {
    if (std::isnan(value)) { out += "NaN"; return; }
    if (std::isinf(value)) { out += value < 0 ? "-Infinity" : "Infinity"; return; }
    if (value == 0) { out += '0'; return; }
    if (value < 0) { out += '-'; value = -value; }
    // Shortest round-trip digits d1..dk and exponent n such that value = 0.d1..dk × 10^n.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
    size_t e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos))
        if (c != '.') digits += c;
    std::string_view exponent_text = sci.substr(e_pos + 1);  // "+21" or "-7"
    if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
    int exponent = 0;
    std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    int k = static_cast<int>(digits.size()), n = exponent + 1;
    if (k <= n && n <= 21) {
        out += digits;
        out.append(static_cast<size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(digits, 0, static_cast<size_t>(n));
        out += '.';
        out.append(digits, static_cast<size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<size_t>(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) { out += '.'; out.append(digits, 1); }
        out += 'e';
        out += n - 1 >= 0 ? '+' : '-';
        out += std::to_string(std::abs(n - 1));
    }
}

std::string js_number_to_string(double value) {
    std::string out;
    append_js_number(out, value);
    return out;
}

}  // namespace sy::sdk
