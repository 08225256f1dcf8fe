// JavaScript value semantics the reference destination relies on: Date parsing, parseInt and
// parseFloat, reproduced so outputs match Node byte-for-byte in value (String(number) is the
// SDK's js_number.h).
#pragma once

#include <string>
#include <string_view>

namespace iterable::js {

// new Date(text).getTime(): milliseconds since the epoch, or NaN when JavaScript would say
// "Invalid Date". Accepts the ISO 8601 forms V8 accepts (date-only is UTC, date-time without
// an offset is local time, which the reference ran as UTC) and "YYYY-MM-DD HH:MM[:SS]".
double date_parse(std::string_view text);

// new Date(number).getTime(): TimeClip, i.e. truncation toward zero, NaN beyond ±8.64e15.
double time_clip(double ms);

// parseInt(text, 10): leading whitespace, optional sign, decimal digits; NaN without digits.
double parse_int(std::string_view text);

// parseFloat(text): the longest prefix that is a StrDecimalLiteral (incl. "Infinity").
double parse_float(std::string_view text);

}  // namespace iterable::js
