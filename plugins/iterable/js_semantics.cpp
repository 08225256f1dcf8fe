// JavaScript Date/parseInt/parseFloat semantics (see js_semantics.h).
#include "js_semantics.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace iterable::js {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMaxTimeMs = 8.64e15;  // ECMAScript TimeClip bound

// JS StrWhiteSpaceChar covers more than ASCII; these are the code points JSON strings carry
// in practice (space, tabs, line breaks, NBSP, BOM, U+2028/2029 and the Zs block).
size_t skip_js_whitespace(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || (c >= 0x09 && c <= 0x0d)) { ++i; continue; }
        if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xa0) { i += 2; continue; }
        if (c == 0xef && s.substr(i, 3) == "\xef\xbb\xbf") { i += 3; continue; }
        if (c == 0xe2 && i + 2 < s.size()) {
            unsigned char c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
            bool zs = (c1 == 0x80 && (c2 <= 0x8a || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf)) ||
                      (c1 == 0x81 && c2 == 0x9f);
            if (zs) { i += 3; continue; }
        }
        if (c == 0xe3 && s.substr(i, 3) == "\xe3\x80\x80") { i += 3; continue; }
        break;
    }
    return i;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at s[pos]; false when they are not all digits.
bool read_fixed(std::string_view s, size_t &pos, size_t n, int &value) {
    if (pos + n > s.size()) return false;
    value = 0;
    for (size_t k = 0; k < n; ++k) {
        if (!is_digit(s[pos + k])) return false;
        value = value * 10 + (s[pos + k] - '0');
    }
    pos += n;
    return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int days_in_month(int64_t y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

struct DateTimeParts {
    int64_t year = 0;
    int month = 1, day = 1, hour = 0, minute = 0, second = 0;
    double millis = 0;
    int offset_minutes = 0;
};

// Year: 4 digits, or a sign and 6 digits (ECMAScript expanded years; "-000000" is invalid).
bool parse_year(std::string_view s, size_t &pos, int64_t &year) {
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        bool negative = s[pos] == '-';
        ++pos;
        int hi = 0, lo = 0;
        if (!read_fixed(s, pos, 3, hi) || !read_fixed(s, pos, 3, lo)) return false;
        year = int64_t{hi} * 1000 + lo;
        if (negative && year == 0) return false;
        if (negative) year = -year;
        return true;
    }
    int y = 0;
    if (!read_fixed(s, pos, 4, y)) return false;
    year = y;
    return true;
}

// "THH:mm[:ss[.sss...]]" (or a space instead of T), then "Z", "±HH:mm", "±HHmm" or nothing.
bool parse_time(std::string_view s, size_t &pos, DateTimeParts &p) {
    if (!read_fixed(s, pos, 2, p.hour) || pos >= s.size() || s[pos++] != ':') return false;
    if (!read_fixed(s, pos, 2, p.minute)) return false;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!read_fixed(s, pos, 2, p.second)) return false;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            size_t start = pos;
            double scale = 100;
            while (pos < s.size() && is_digit(s[pos])) {
                p.millis += (s[pos] - '0') * scale;  // digits beyond milliseconds are dropped
                scale /= 10;
                ++pos;
            }
            if (pos == start) return false;
            p.millis = std::floor(p.millis);
        }
    }
    if (pos == s.size()) return true;
    if (s[pos] == 'Z' || s[pos] == 'z') return ++pos == s.size();
    if (s[pos] != '+' && s[pos] != '-') return false;
    int sign = s[pos++] == '-' ? -1 : 1, oh = 0, om = 0;
    if (!read_fixed(s, pos, 2, oh)) return false;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!read_fixed(s, pos, 2, om) || pos != s.size() || oh > 23 || om > 59) return false;
    p.offset_minutes = sign * (oh * 60 + om);
    return true;
}

bool parts_valid(const DateTimeParts &p) {
    if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > days_in_month(p.year, p.month)) return false;
    if (p.hour == 24) return p.minute == 0 && p.second == 0 && p.millis == 0;
    return p.hour < 24 && p.minute < 60 && p.second < 60;
}

}  // namespace

double time_clip(double ms) {
    if (!std::isfinite(ms) || std::fabs(ms) > kMaxTimeMs) return kNaN;
    double t = std::trunc(ms);
    return t == 0 ? 0 : t;
}

double date_parse(std::string_view text) {
    std::string_view s = text.substr(skip_js_whitespace(text));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    DateTimeParts p;
    size_t pos = 0;
    if (!parse_year(s, pos, p.year)) return kNaN;
    if (pos < s.size() && s[pos] == '-') {
        ++pos;
        if (!read_fixed(s, pos, 2, p.month)) return kNaN;
        if (pos < s.size() && s[pos] == '-') {
            ++pos;
            if (!read_fixed(s, pos, 2, p.day)) return kNaN;
        }
    }
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return kNaN;
        ++pos;
        if (!parse_time(s, pos, p)) return kNaN;
    }
    if (!parts_valid(p)) return kNaN;
    double days = static_cast<double>(days_from_civil(p.year, p.month, p.day));
    double ms = days * 86400000.0 + p.hour * 3600000.0 + p.minute * 60000.0 + p.second * 1000.0 + p.millis;
    return time_clip(ms - p.offset_minutes * 60000.0);
}

double parse_int(std::string_view text) {
    std::string_view s = text.substr(skip_js_whitespace(text));
    size_t pos = 0;
    bool negative = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative = s[pos++] == '-';
    size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    if (pos == start) return kNaN;
    // strtod rounds the whole digit string correctly, as V8 does for radix 10.
    std::string digits(s.substr(start, pos - start));
    double value = std::strtod(digits.c_str(), nullptr);
    return negative ? -value : value;
}

double parse_float(std::string_view text) {
    std::string_view s = text.substr(skip_js_whitespace(text));
    size_t pos = 0;
    bool negative = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) negative = s[pos++] == '-';
    if (s.substr(pos, 8) == "Infinity")
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    size_t start = pos, int_digits = 0, frac_digits = 0;
    while (pos < s.size() && is_digit(s[pos])) ++pos, ++int_digits;
    if (pos < s.size() && s[pos] == '.') {
        size_t dot = pos++;
        while (pos < s.size() && is_digit(s[pos])) ++pos, ++frac_digits;
        if (frac_digits == 0) pos = dot + 1;  // "5." is 5; a lone "." is not a number
    }
    if (int_digits + frac_digits == 0) return kNaN;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        size_t e = pos + 1;
        if (e < s.size() && (s[e] == '+' || s[e] == '-')) ++e;
        if (e < s.size() && is_digit(s[e])) {
            while (e < s.size() && is_digit(s[e])) ++e;
            pos = e;
        }
    }
    std::string literal(s.substr(start, pos - start));
    double value = std::strtod(literal.c_str(), nullptr);
    return negative ? -value : value;
}

}  // namespace iterable::js
