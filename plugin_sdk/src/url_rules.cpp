// Operator URL rules (see url_rules.h).
#include "switchyard/sdk/url_rules.h"

#include <cctype>

namespace sy::sdk {
namespace {

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

bool is_loopback_url(std::string_view url) {
    UrlParts parts = split_url(url);
    if (!parts.ok) return false;
    std::string host(parts.host);
    for (char &c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return host == "localhost" || host == "[::1]" || is_ipv4_loopback(host);
}

std::string url_problem(std::string_view url) {
    UrlParts parts = split_url(url);
    if (!parts.ok) return "must be an absolute http(s) URL such as https://api.example.com/";
    if (url.find_first_of(" \t\r\n") != std::string_view::npos) return "must not contain whitespace";
    if (parts.scheme == "https") return "";
    if (parts.scheme == "http")
        return is_loopback_url(url) ? "" : "may use plain http only for loopback hosts (127.0.0.0/8, localhost, [::1])";
    return "must start with https:// (or http:// for a loopback host)";
}

}  // namespace sy::sdk
