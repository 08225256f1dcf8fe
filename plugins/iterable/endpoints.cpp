// Data-center base URLs and validation of the base-URL override (see endpoints.h).
#include "endpoints.h"

#include <array>
#include <cctype>

namespace iterable {
namespace {

// rudder-transformer iterable/config.js BASE_URL; one row per data center.
constexpr std::array<DataCenterBase, 2> kBases = {{
    {DataCenter::kUS, "USDC", "https://api.iterable.com/api/"},
    {DataCenter::kEU, "EUDC", "https://api.eu.iterable.com/api/"},
}};

struct UrlParts {
    std::string_view scheme, host;
    bool ok = false;
};

UrlParts split_url(std::string_view url) {
    UrlParts parts;
    size_t colon = url.find("://");
    if (colon == std::string_view::npos) return parts;
    parts.scheme = url.substr(0, colon);
    std::string_view rest = url.substr(colon + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos) return parts;  // no credentials in URLs
    if (!authority.empty() && authority.front() == '[') {
        size_t close = authority.find(']');
        if (close == std::string_view::npos) return parts;
        parts.host = authority.substr(0, close + 1);
    } else {
        parts.host = authority.substr(0, authority.find(':'));
    }
    parts.ok = !parts.host.empty();
    return parts;
}

bool is_ipv4_loopback(std::string_view host) {
    if (host.substr(0, 4) != "127.") return false;
    int dots = 0, digits = 0;
    for (char c : host) {
        if (c == '.') { ++dots; if (digits == 0) return false; digits = 0; continue; }
        if (!std::isdigit(static_cast<unsigned char>(c)) || ++digits > 3) return false;
    }
    return dots == 3 && digits > 0;
}

}  // namespace

std::span<const DataCenterBase> data_center_bases() { return kBases; }

std::string_view base_url_for(DataCenter data_center) {
    for (const DataCenterBase &row : kBases)
        if (row.data_center == data_center) return row.base_url;
    return kBases[0].base_url;
}

bool is_loopback_url(std::string_view url) {
    UrlParts parts = split_url(url);
    if (!parts.ok) return false;
    std::string host(parts.host);
    for (char &c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return host == "localhost" || host == "[::1]" || is_ipv4_loopback(host);
}

std::string endpoint_problem(std::string_view url) {
    UrlParts parts = split_url(url);
    if (!parts.ok) return "must be an absolute http(s) URL such as https://api.iterable.com/api/";
    if (url.find_first_of(" \t\r\n") != std::string_view::npos) return "must not contain whitespace";
    if (parts.scheme == "https") return "";
    if (parts.scheme == "http")
        return is_loopback_url(url) ? "" : "may use plain http only for loopback hosts (127.0.0.0/8, localhost, [::1])";
    return "must start with https:// (or http:// for a loopback host)";
}

}  // namespace iterable
