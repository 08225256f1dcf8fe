// A small append-only JSON writer for request bodies: escapes like JSON.stringify, writes
// numbers as JavaScript does, and leaves commas to the caller's open/close discipline.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "switchyard/sdk/js_number.h"

namespace sy::sdk {

class JsonWriter {
   public:
    explicit JsonWriter(std::string &out) : out_(out) {}

    void begin_object() { separate(); out_ += '{'; first_ = true; }
    void end_object() { out_ += '}'; first_ = false; }
    void begin_array() { separate(); out_ += '['; first_ = true; }
    void end_array() { out_ += ']'; first_ = false; }

    void key(std::string_view name) {
        separate();
        append_string(name);
        out_ += ':';
        first_ = true;  // the value that follows takes no comma
    }
    void string(std::string_view text) { separate(); append_string(text); }
    void boolean(bool value) { separate(); out_ += value ? "true" : "false"; }
    void null() { separate(); out_ += "null"; }
    void int64(int64_t value) { separate(); out_ += std::to_string(value); }
    void uint64(uint64_t value) { separate(); out_ += std::to_string(value); }
    // JSON.stringify turns NaN and ±Infinity into null.
    void number(double value) {
        separate();
        if (std::isfinite(value)) append_js_number(out_, value);
        else out_ += "null";
    }
    // Already-serialised JSON (a whole value), copied as is.
    void raw(std::string_view json) { separate(); out_ += json; }

    std::string &buffer() { return out_; }

   private:
    void separate() {
        if (!first_) out_ += ',';
        first_ = false;
    }

    // True when one of the 8 bytes of `w` is < 0x20, '"' or '\\' (SWAR; strings are mostly plain).
    static bool needs_escape(uint64_t w) {
        constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
        auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
        uint64_t control = (w - kOnes * 0x20) & ~w & kHigh;
        return control | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'));
    }

    void append_string(std::string_view text) {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += '"';
        size_t run = 0;  // copy unescaped runs in one append
        for (size_t i = 0; i < text.size(); ++i) {
            if (uint64_t w; i + 8 <= text.size() && (std::memcpy(&w, text.data() + i, 8), !needs_escape(w))) {
                i += 7;
                continue;
            }
            unsigned char c = static_cast<unsigned char>(text[i]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out_.append(text.data() + run, i - run);
            run = i + 1;
            switch (c) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\b': out_ += "\\b"; break;
                case '\f': out_ += "\\f"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                default:
                    out_ += "\\u00";
                    out_ += kHex[c >> 4];
                    out_ += kHex[c & 0xf];
            }
        }
        out_.append(text.data() + run, text.size() - run);
        out_ += '"';
    }

    std::string &out_;
    bool first_ = true;
};

}  // namespace sy::sdk
