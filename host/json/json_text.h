// Writing JSON text by hand on hot paths: string escaping per RFC 8259.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::json {

// Appends `text` as a quoted JSON string. Bytes >= 0x80 pass through (UTF-8 stays UTF-8).
inline void append_string(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (byte < 0x20) {
                    out += "\\u00";
                    out += kHex[byte >> 4];
                    out += kHex[byte & 0xf];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

}  // namespace switchyard::json
