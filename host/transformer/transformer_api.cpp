// Routing rudder-transformer's paths to the endpoint functions (see transformer_api.h).
#include "host/transformer/transformer_api.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "host/transformer/endpoints.h"
#include "host/transformer/rudder_answer.h"

namespace switchyard::transformer {
namespace {

// The answer's body is moved, not copied: it is about as large as the request.
void reply(httplib::Response &res, Answer &&answer) {
    res.status = answer.status;
    if (answer.status == 400) answer.body += '\n';
    res.set_header("Content-Type", answer.status == 400 ? "text/plain" : "application/json");
    res.body = std::move(answer.body);
}

}  // namespace

TransformerApi::TransformerApi(std::vector<std::shared_ptr<const PluginLibrary>> plugins)
    : plugins_(std::move(plugins)) {}

std::string TransformerApi::features() const {
    nlohmann::json features = {{"routerTransform", nlohmann::json::object()},
                               {"regulations", nlohmann::json::array()},
                               {"supportTransformerProxyV1", true}};
    for (const auto &plugin : plugins_.all()) {
        const std::string dest_type = dest_type_of(plugin->name());
        features["routerTransform"][dest_type] = true;
        if (plugin->table().delete_users != nullptr) features["regulations"].push_back(dest_type);
    }
    return features.dump();
}

void TransformerApi::install(httplib::Server &server) {
    server.Post(R"(/v0/destinations/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string name = req.matches[1];
        reply(res, processor_transform(plugins_.find(name), name, cache_, req.body));
    });
    server.Post("/routerTransform", [this](const httplib::Request &req, httplib::Response &res) {
        reply(res, router_transform(plugins_, cache_, req.body));
    });
    server.Post(R"(/v1/destinations/([^/]+)/proxy)", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string name = req.matches[1];
        reply(res, delivery_proxy(plugins_.find(name), name, cache_, req.body));
    });
    server.Get("/features", [this](const httplib::Request &, httplib::Response &res) {
        res.set_content(features(), "application/json");
    });
    server.Get("/health", [](const httplib::Request &, httplib::Response &res) {
        res.set_content(R"({"service":"UP"})", "application/json");
    });
}

}  // namespace switchyard::transformer
