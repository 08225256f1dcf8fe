// The entries of a source's `allowed_origins`: web origins as browsers send them in the Origin
// header (RFC 6454): scheme://host[:port], nothing after it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard {

// `entry` in the form the ingestion API compares (lower case), or nullopt with `why` set to what
// is wrong, in a few words ("must be scheme://host[:port] with no path, like https://shop.example.com").
std::optional<std::string> parse_allowed_origin(std::string_view entry, std::string &why);

}  // namespace switchyard
