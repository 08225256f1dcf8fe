// The regulation endpoints (see regulation_endpoints.h).
#include "host/service/regulation_endpoints.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "host/log/log.h"
#include "host/log/utc_time.h"
#include "host/regulation/regulation_request.h"

namespace switchyard {
namespace {

void answer(httplib::Response &res, int status, const nlohmann::json &body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

}  // namespace

nlohmann::json regulation_json(const regulation::Regulation &r) {
    nlohmann::json destinations = nlohmann::json::object();
    for (const auto &[key, progress] : r.destinations) {
        destinations[key] = {{"state", progress.state}, {"attempts", progress.attempts}};
        if (!progress.error.empty()) destinations[key]["error"] = progress.error;
    }
    nlohmann::json users = nlohmann::json::array();
    for (const regulation::User &u : r.users) users.push_back(nlohmann::json::parse(u.json));
    return {{"id", r.id},
            {"created_at", log::rfc3339_utc(r.created_ms)},
            {"regulationType", regulation::type_name(r.type)},
            {"destinationIds", r.destination_ids},
            {"users", users},
            {"state", r.state()},
            {"destinations", destinations}};
}

void mount_regulation_endpoints(httplib::Server &server, const EndpointAccess &access, Store &store,
                                regulation::RegulationRunner &runner) {
    server.Post("/admin/regulations", [&access, &store, &runner](const httplib::Request &req, httplib::Response &res) {
        if (!admin_allowed(access, req, res)) return;
        regulation::RequestRead read = regulation::read_request(req.body);
        if (read.error.empty()) read.error = runner.unknown_destinations(read.regulation);
        if (!read.error.empty()) return answer(res, 400, {{"error", read.error}});
        const int64_t id = store.add_regulation(regulation::to_record(read.regulation), log::unix_now_ms());
        runner.refresh();  // suppressed from the answer on
        runner.wake();
        log::info("regulation", "Regulation " + std::to_string(id) + " added (" +
                                    std::string(regulation::type_name(read.regulation.type)) + ", " +
                                    std::to_string(read.regulation.users.size()) + " user(s)).");
        answer(res, 201, {{"id", id}, {"state", "pending"}});
    });
    server.Get("/admin/regulations", [&access, &runner](const httplib::Request &req, httplib::Response &res) {
        if (!admin_allowed(access, req, res)) return;
        nlohmann::json list = nlohmann::json::array();
        for (const regulation::Regulation &r : runner.refresh()) list.push_back(regulation_json(r));
        answer(res, 200, {{"regulations", list}});
    });
}

}  // namespace switchyard
