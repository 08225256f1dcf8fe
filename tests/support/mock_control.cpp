// The mock's control endpoints under /_mock/: what a demo script or an out-of-process test uses
// to read the end state and stats, reset, inject faults and queue canned answers.
#include <httplib.h>

#include "mock_iterable.h"
#include "mock_records.h"

namespace switchyard::testing {
namespace {

using json = nlohmann::json;

json stats_json(const MockStats &s) {
    json by_status = json::object();
    for (const auto &[status, n] : s.by_status) by_status[std::to_string(status)] = n;
    return {{"requests", s.requests}, {"connections", s.connections}, {"by_status", by_status}, {"by_path", s.by_path}};
}

// Reads a control body; an absent field keeps its default, a mistyped one is an error.
template <typename T>
bool field(const json &body, const char *name, T &out) {
    if (!body.contains(name)) return true;
    try {
        out = body.at(name).get<T>();
        return true;
    } catch (const json::exception &) {
        return false;
    }
}

void bad_request(httplib::Response &res, const std::string &msg) {
    res.status = 400;
    res.set_content(error_body("BadJsonBody", msg).dump(), "application/json");
}

void ok(httplib::Response &res) { res.set_content(error_body("Success", "").dump(), "application/json"); }

}  // namespace

void MockIterable::mount_control() {
    server_->Get("/_mock/state", [this](const httplib::Request &, httplib::Response &res) {
        res.set_content(state().dump(), "application/json");
    });
    server_->Get("/_mock/stats", [this](const httplib::Request &, httplib::Response &res) {
        res.set_content(stats_json(stats()).dump(), "application/json");
    });
    server_->Post("/_mock/reset", [this](const httplib::Request &, httplib::Response &res) {
        reset();
        ok(res);
    });
    server_->Post("/_mock/faults", [this](const httplib::Request &req, httplib::Response &res) {
        const json f = json::parse(req.body, nullptr, false);
        Faults faults;
        if (!f.is_object() || !field(f, "latency_ms", faults.latency_ms) || !field(f, "error_rate", faults.error_rate) ||
            !field(f, "drop_rate", faults.drop_rate) || !field(f, "stall_ms", faults.stall_ms) ||
            !field(f, "throttle_next", faults.throttle_next))
            return bad_request(res, "faults: a JSON object of latency_ms, error_rate, drop_rate, stall_ms, throttle_next");
        set_faults(faults);
        ok(res);
    });
    server_->Post("/_mock/next-response", [this](const httplib::Request &req, httplib::Response &res) {
        const json c = json::parse(req.body, nullptr, false);
        std::string path;
        int status = 200;
        std::map<std::string, std::string> headers;
        if (!c.is_object() || !c.contains("path") || !field(c, "path", path) || !field(c, "status", status) ||
            !field(c, "headers", headers))
            return bad_request(res, "next-response: {\"path\", \"status\", \"body\", \"headers\"}");
        // A string body is served verbatim (recorded answers need not be JSON); anything else is dumped.
        const json body = c.value("body", json::object());
        queue_response(path, status, body.is_string() ? body.get<std::string>() : body.dump(), std::move(headers));
        ok(res);
    });
}

}  // namespace switchyard::testing
