// What the HTTP client tests share: a loopback server for one test, and a request whose strings
// live as long as the test.
#pragma once

#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "switchyard/plugin.h"

namespace sy::sdk {

// Handlers are added before start().
class Loopback {
   public:
    httplib::Server server;
    std::string start() {
        port_ = server.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server.listen_after_bind(); });  // accepts what queued meanwhile
        return "http://127.0.0.1:" + std::to_string(port_);
    }
    int port() const { return port_; }
    ~Loopback() {
        server.stop();
        if (thread_.joinable()) thread_.join();
    }

   private:
    std::thread thread_;
    int port_ = 0;
};

struct Request {
    explicit Request(std::string url_, std::string method_ = "POST", std::string body_ = "",
                     std::vector<sy_header> headers_ = {})
        : url(std::move(url_)), method(std::move(method_)), body(std::move(body_)), headers(std::move(headers_)) {}
    std::string url, method, body;
    std::vector<sy_header> headers;
    sy_request view() const {
        sy_request r{};
        r.struct_size = sizeof r;
        r.method = {method.data(), method.size()};
        r.url = {url.data(), url.size()};
        r.headers = headers.data();
        r.header_count = headers.size();
        r.body = {body.data(), body.size()};
        return r;
    }
};

}  // namespace sy::sdk
