// ISO-8601 parsing and formatting without locale or time-zone database (hot path, thread-safe).
#include "host/ingest/timestamp.h"

#include <cstdio>

namespace switchyard::ingest {
namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

void civil_from_days(int64_t days, int64_t &year, unsigned &month, unsigned &day) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);
    const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned mp = (5 * day_of_year + 2) / 153;
    day = day_of_year - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int64_t>(year_of_era) + era * 400 + (month <= 2);
}

// Reads exactly `count` digits at `pos`, advancing it.
bool read_digits(std::string_view text, size_t &pos, size_t count, unsigned &value) {
    if (pos + count > text.size()) return false;
    value = 0;
    for (size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    pos += count;
    return true;
}

bool expect(std::string_view text, size_t &pos, char wanted) {
    if (pos >= text.size() || text[pos] != wanted) return false;
    ++pos;
    return true;
}

// Fraction after the seconds: any number of digits, milliseconds kept.
unsigned read_fraction_ms(std::string_view text, size_t &pos) {
    if (pos >= text.size() || text[pos] != '.') return 0;
    ++pos;
    unsigned ms = 0;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < 3) ms = ms * 10 + static_cast<unsigned>(text[pos] - '0');
        ++digits;
        ++pos;
    }
    for (; digits < 3; ++digits) ms *= 10;
    return ms;
}

// Zone designator at the end: minutes east of UTC, or nullopt when malformed.
std::optional<int> read_zone_minutes(std::string_view text, size_t &pos) {
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
        return 0;
    }
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
    const int sign = text[pos++] == '-' ? -1 : 1;
    unsigned hours = 0, minutes = 0;
    if (!read_digits(text, pos, 2, hours)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!read_digits(text, pos, 2, minutes) || hours > 23 || minutes > 59) return std::nullopt;
    return sign * static_cast<int>(hours * 60 + minutes);
}

}  // namespace

std::optional<int64_t> parse_iso8601_ms(std::string_view text) {
    size_t pos = 0;
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    const bool date_ok = read_digits(text, pos, 4, year) && expect(text, pos, '-') && read_digits(text, pos, 2, month) &&
                         expect(text, pos, '-') && read_digits(text, pos, 2, day);
    if (!date_ok || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) return std::nullopt;
    ++pos;
    const bool time_ok = read_digits(text, pos, 2, hour) && expect(text, pos, ':') && read_digits(text, pos, 2, minute) &&
                         expect(text, pos, ':') && read_digits(text, pos, 2, second);
    if (!time_ok || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    const unsigned ms = read_fraction_ms(text, pos);
    const std::optional<int> zone = read_zone_minutes(text, pos);
    if (!zone || pos != text.size()) return std::nullopt;
    const int64_t seconds =
        days_from_civil(year, month, day) * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second;
    return (seconds - int64_t{*zone} * 60) * 1000 + ms;
}

std::string format_iso8601_ms(int64_t epoch_ms) {
    int64_t days = epoch_ms / 86'400'000;
    int64_t ms_of_day = epoch_ms % 86'400'000;
    if (ms_of_day < 0) {
        ms_of_day += 86'400'000;
        --days;
    }
    int64_t year = 0;
    unsigned month = 0, day = 0;
    civil_from_days(days, year, month, day);
    char buf[40];
    const int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                                static_cast<long long>(year), month, day, static_cast<long long>(ms_of_day / 3'600'000),
                                static_cast<long long>(ms_of_day / 60'000 % 60), static_cast<long long>(ms_of_day / 1000 % 60),
                                static_cast<long long>(ms_of_day % 1000));
    return std::string(buf, static_cast<size_t>(n));
}

}  // namespace switchyard::ingest
