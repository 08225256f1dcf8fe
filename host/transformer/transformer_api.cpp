// Routing rudder-transformer's paths to the endpoint functions (see transformer_api.h).
#include "host/transformer/transformer_api.h"

#include <nlohmann/json.hpp>

#include "host/transformer/rudder_answer.h"

namespace switchyard::transformer {
namespace {

// NAME when `path` is PREFIX + NAME + SUFFIX and NAME is one non-empty path segment.
std::optional<std::string> segment_between(std::string_view path, std::string_view prefix, std::string_view suffix) {
    if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() <= prefix.size() + suffix.size())
        return std::nullopt;
    const std::string_view name = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    if (name.find('/') != std::string_view::npos) return std::nullopt;
    return std::string(name);
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

std::optional<Endpoint> TransformerApi::find(std::string_view method, std::string_view path) {
    using Runs = Endpoint::Runs;
    if (method == "GET" && path == "/features")
        return Endpoint{Runs::at_once, [this](Workspace &) { return Answer{200, features()}; }};
    if (method == "GET" && path == "/health")
        return Endpoint{Runs::at_once, [](Workspace &) { return Answer{200, R"({"service":"UP"})"}; }};
    if (method != "POST") return std::nullopt;
    if (path == "/routerTransform")
        return Endpoint{Runs::transform, [this](Workspace &request) {
                            return router_transform(plugins_, cache_, request.padded_body(), request.parsers);
                        }};
    if (auto name = segment_between(path, "/v0/destinations/", ""))
        return Endpoint{Runs::transform, [this, name = std::move(*name)](Workspace &request) {
                            return processor_transform(plugins_.find(name), name, cache_, request.padded_body(),
                                                       request.parsers);
                        }};
    if (auto name = segment_between(path, "/v1/destinations/", "/proxy"))
        return Endpoint{Runs::proxy, [this, name = std::move(*name)](Workspace &request) {
                            return delivery_proxy(plugins_.find(name), name, cache_, request.body);
                        }};
    return std::nullopt;
}

}  // namespace switchyard::transformer
