// Marks over-long integer literals as doubles (see big_integers.h).
#include "big_integers.h"

namespace iterable {
namespace {

constexpr size_t kMaxExactDigits = 18;  // anything longer may not fit int64/uint64

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string widen_big_integers(std::string_view json) {
    std::string out;
    out.reserve(json.size() + 16);
    bool in_string = false;
    for (size_t i = 0; i < json.size();) {
        char c = json[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < json.size()) out += json[++i];
            else if (c == '"') in_string = false;
            ++i;
            continue;
        }
        if (c == '"') in_string = true;
        if (!is_digit(c)) {
            out += c;
            ++i;
            continue;
        }
        size_t start = i;
        while (i < json.size() && is_digit(json[i])) ++i;
        out.append(json, start, i - start);
        bool continues = i < json.size() && (json[i] == '.' || json[i] == 'e' || json[i] == 'E');
        if (!continues && i - start > kMaxExactDigits) out += ".0";
        if (continues) {  // copy the rest of the number so its exponent digits are not revisited
            while (i < json.size() && (is_digit(json[i]) || json[i] == '.' || json[i] == 'e' || json[i] == 'E' ||
                                       json[i] == '+' || json[i] == '-'))
                out += json[i++];
        }
    }
    return out;
}

}  // namespace iterable
