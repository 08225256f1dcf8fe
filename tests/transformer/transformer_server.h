// The transformer's HTTP API over the built plugins, served in-process on a loopback port as
// `switchyard transformer` serves it, and a client for it.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "host/http/guarded_server.h"
#include "host/metrics/metrics.h"
#include "host/transformer/transformer_api.h"

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
                               size_t workers = switchyard::transformer::usable_cores())
        : server_({}, metrics_), api_(std::move(plugins), workers) {
        api_.install(server_);
        port_ = server_.bind_to_any_port("127.0.0.1");
        // A bound socket already queues connections; listening starts on the thread.
        serving_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~TransformerServer() {
        // httplib's stop() is a no-op until its listen loop runs.
        while (!server_.is_running()) std::this_thread::yield();
        server_.stop();
        serving_.join();
    }

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
    switchyard::Metrics metrics_;
    switchyard::http::GuardedServer server_;
    switchyard::transformer::TransformerApi api_;
    int port_ = 0;
    std::thread serving_;
};

}  // namespace transformer_test
