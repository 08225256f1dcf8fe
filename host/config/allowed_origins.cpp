// Checking the origins of `allowed_origins` entries.
#include "host/config/allowed_origins.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace switchyard {
namespace {

constexpr std::string_view kShape = "must be scheme://host[:port] with no path, like https://shop.example.com";
constexpr unsigned long kMaxPort = 65535;

bool host_character(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// host, or host:port with a port of 1 to 5 digits; a bracketed IPv6 host is accepted as is.
bool valid_authority(std::string_view authority) {
    const size_t colon = authority.rfind(':');
    const bool bracketed = !authority.empty() && authority.front() == '[';
    std::string_view host = authority;
    if (colon != std::string_view::npos && (!bracketed || authority[colon - 1] == ']')) {
        const std::string_view port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), digit) ||
            std::stoul(std::string(port)) > kMaxPort)
            return false;
        host = authority.substr(0, colon);
    }
    if (bracketed) return host.size() > 2 && host.back() == ']';
    return !host.empty() && std::all_of(host.begin(), host.end(), host_character);
}

}  // namespace

std::optional<std::string> parse_allowed_origin(std::string_view entry, std::string &why) {
    const size_t separator = entry.find("://");
    const std::string_view scheme = entry.substr(0, separator);
    if (separator == std::string_view::npos || (scheme != "http" && scheme != "https") ||
        !valid_authority(entry.substr(separator + 3))) {
        why = std::string(kShape);
        return std::nullopt;
    }
    std::string origin(entry);
    std::transform(origin.begin(), origin.end(), origin.begin(), [](unsigned char c) { return std::tolower(c); });
    return origin;
}

}  // namespace switchyard
