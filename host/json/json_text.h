// Writing JSON text by hand on hot paths: string escaping per RFC 8259.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::json {

// Whether a byte must be escaped inside a JSON string.
constexpr bool needs_escape(unsigned char byte) { return byte < 0x20 || byte == '"' || byte == '\\'; }

// Appends `text` as a quoted JSON string. Bytes >= 0x80 pass through (UTF-8 stays UTF-8). Runs of
// bytes that need no escape are appended at once: most strings (URLs, header values) are one run.
inline void append_string(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    size_t run = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (!needs_escape(byte)) continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (byte) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += kHex[byte >> 4];
                out += kHex[byte & 0xf];
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

}  // namespace switchyard::json
