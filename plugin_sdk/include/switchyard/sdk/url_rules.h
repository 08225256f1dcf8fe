// Which destination URLs a plugin accepts from an operator: https anywhere, plain http only on
// loopback (a local stand-in or proxy), never credentials inside the URL.
#pragma once

#include <string>
#include <string_view>

namespace sy::sdk {

// Checks an operator's URL; returns "" when acceptable, else the reason with no sentence
// framing, e.g. "may use plain http only for loopback hosts (...)".
std::string url_problem(std::string_view url);

// True when the host of an http(s) URL is 127.0.0.0/8, localhost or [::1].
bool is_loopback_url(std::string_view url);

}  // namespace sy::sdk
