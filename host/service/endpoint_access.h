// Who may call the operational endpoints: with a token configured, whoever presents it as a
// Bearer token, from any address; without one, /admin/* answers loopback peers whose request no
// proxy relayed (a local proxy's address says nothing of its client), and /metrics everyone.
#pragma once

#include <string>

#include <httplib.h>

namespace switchyard {

struct EndpointAccess {
    std::string admin_token;           // when set, /admin/* needs it from every address
    std::string metrics_token;         // when set, /metrics needs it
    bool admin_from_anywhere = false;  // without an admin token: any address, not only loopback
};

// Whether `req` may use /admin/* (or /metrics); when not, `res` holds the 401 or 403 answer.
bool admin_allowed(const EndpointAccess &access, const httplib::Request &req, httplib::Response &res);
bool metrics_allowed(const EndpointAccess &access, const httplib::Request &req, httplib::Response &res);

}  // namespace switchyard
