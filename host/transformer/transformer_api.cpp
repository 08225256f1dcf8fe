// Routing rudder-transformer's paths to the endpoint functions (see transformer_api.h).
#include "host/transformer/transformer_api.h"

#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <functional>

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

// A transform's answer is written while its call still holds the worker: answers waiting for
// their client to read them would otherwise pile up, one per connection.
void reply_holding(httplib::Response &res, Answer &&answer, TransformWorkers::Lease lease) {
    if (answer.status != 200) return reply(res, std::move(answer));
    auto body = std::make_shared<std::string>(std::move(answer.body));
    const size_t size = body->size();
    res.set_content_provider(size, "application/json",
                             [body, lease = std::move(lease)](size_t offset, size_t length, httplib::DataSink &sink) {
                                 return sink.write(body->data() + offset, length);
                             });
}

// Buffers are sized from Content-Length up to this; a larger body grows its buffer as it arrives,
// so that a false length cannot make the transformer reserve memory no body fills.
constexpr size_t kMostReservedBytes = size_t{16} << 20;

// The body into the workspace, read only now that a core is free for it. False when httplib
// refused it (over --max-body-bytes: 413) and answers on its own.
bool read_body(const httplib::Request &req, const httplib::ContentReader &read, Workspace &workspace) {
    std::string &body = workspace.body;
    body.clear();
    const size_t declared = std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
    body.reserve(std::min(declared, kMostReservedBytes) + simdjson::SIMDJSON_PADDING);
    const bool whole = read([&body](const char *data, size_t length) {
        body.append(data, length);
        return true;
    });
    body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    return whole;
}

using Transform = std::function<Answer(simdjson::padded_string_view body, EnvelopeParsers &parsers)>;

// A transform call: a worker taken, the body read into its workspace, the transform run on the
// worker's thread, the answer written before the worker is given back.
void serve_transform(TransformWorkers &workers, const httplib::Request &req, httplib::Response &res,
                     const httplib::ContentReader &read, const Transform &transform) {
    TransformWorkers::Lease lease = workers.acquire();
    if (!read_body(req, read, *lease)) return;
    Answer answer;
    lease->thread.run([&] { answer = transform(lease->padded_body(), lease->parsers); });
    reply_holding(res, std::move(answer), std::move(lease));
}

}  // namespace

TransformerApi::TransformerApi(std::vector<std::shared_ptr<const PluginLibrary>> plugins, size_t workers)
    : plugins_(std::move(plugins)), workers_(workers) {}

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
    using httplib::ContentReader;
    server.Post(R"(/v0/destinations/([^/]+))", [this](const httplib::Request &req, httplib::Response &res, const ContentReader &read) {
        const std::string name = req.matches[1];
        serve_transform(workers_, req, res, read, [&](simdjson::padded_string_view body, EnvelopeParsers &parsers) {
            return processor_transform(plugins_.find(name), name, cache_, body, parsers);
        });
    });
    server.Post("/routerTransform", [this](const httplib::Request &req, httplib::Response &res, const ContentReader &read) {
        serve_transform(workers_, req, res, read, [&](simdjson::padded_string_view body, EnvelopeParsers &parsers) {
            return router_transform(plugins_, cache_, body, parsers);
        });
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
