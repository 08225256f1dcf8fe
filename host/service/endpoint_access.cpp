// The access rules of /admin/* and /metrics, and their refusals.
#include "host/service/endpoint_access.h"

#include <nlohmann/json.hpp>

#include "host/service/access_token.h"

namespace switchyard {
namespace {

bool is_loopback(const std::string &address) {
    return address.rfind("127.", 0) == 0 || address == "::1" || address == "::ffff:127.0.0.1";
}

// A request a proxy relayed: its loopback address is the proxy's, not the client's.
bool relayed(const httplib::Request &req) {
    return req.has_header("Forwarded") || req.has_header("X-Forwarded-For") || req.has_header("X-Real-IP");
}

// 401 unless the request carries `token` as its Bearer token.
bool token_presented(const httplib::Request &req, httplib::Response &res, const std::string &token,
                     std::string_view endpoint) {
    if (presents_bearer_token(req.get_header_value("Authorization"), token)) return true;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    const std::string sentence =
        std::string(endpoint) + " needs the token it was started with, as \"Authorization: Bearer <token>\".";
    res.set_content(nlohmann::json{{"error", sentence}}.dump(), "application/json");
    return false;
}

}  // namespace

bool admin_allowed(const EndpointAccess &access, const httplib::Request &req, httplib::Response &res) {
    if (!access.admin_token.empty()) return token_presented(req, res, access.admin_token, "/admin/*");
    if (access.admin_from_anywhere || (is_loopback(req.remote_addr) && !relayed(req))) return true;
    res.status = 403;
    res.set_content(R"({"error":"admin endpoints answer loopback clients only, not through a proxy, unless started with --admin-token-file."})",
                    "application/json");
    return false;
}

bool metrics_allowed(const EndpointAccess &access, const httplib::Request &req, httplib::Response &res) {
    return access.metrics_token.empty() || token_presented(req, res, access.metrics_token, "/metrics");
}

}  // namespace switchyard
