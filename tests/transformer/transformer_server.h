// The transformer's HTTP API over the built plugins, served in-process on a loopback port as
// `switchyard transformer` serves it, and a client for it.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "host/transformer/http_server.h"

namespace transformer_test {

using nlohmann::json;

struct Reply {
    int status = 0;
    std::string body;
    json parsed() const { return json::parse(body); }
};

class TransformerServer {
   public:
    explicit TransformerServer(std::vector<std::shared_ptr<const switchyard::PluginLibrary>> plugins,
                               size_t threads = switchyard::transformer::usable_cores(),
                               switchyard::transformer::ServerLimits limits = {})
        : api_(std::move(plugins)), server_(api_, limits, threads) {
        std::string error;
        port_ = server_.listen("127.0.0.1", 0, error);
        // A listening socket already queues connections; serving starts on the thread.
        serving_ = std::thread([this] { server_.run(); });
    }
    ~TransformerServer() {
        server_.stop();
        serving_.join();
    }

    int port() const { return port_; }

    Reply post(const std::string &path, const std::string &body) const {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(60, 0);
        auto res = client.Post(path, body, "application/json");
        return res ? Reply{res->status, res->body} : Reply{};
    }
    Reply get(const std::string &path) const {
        httplib::Client client("127.0.0.1", port_);
        auto res = client.Get(path);
        return res ? Reply{res->status, res->body} : Reply{};
    }

   private:
    switchyard::transformer::TransformerApi api_;
    switchyard::transformer::HttpServer server_;
    int port_ = 0;
    std::thread serving_;
};

}  // namespace transformer_test
