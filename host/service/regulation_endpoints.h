// POST and GET /admin/regulations: add a regulation, list them with their state
// (docs/regulations.md). Same access rules as every /admin endpoint.
#pragma once

#include <nlohmann/json.hpp>

#include "host/regulation/regulation_runner.h"
#include "host/service/endpoint_access.h"
#include "host/store/store.h"

namespace httplib {
class Server;
}

namespace switchyard {

void mount_regulation_endpoints(httplib::Server &server, const EndpointAccess &access, Store &store,
                                regulation::RegulationRunner &runner);

// A stored regulation as the list shows it, users included (the operator's own request).
nlohmann::json regulation_json(const regulation::Regulation &regulation);

}  // namespace switchyard
