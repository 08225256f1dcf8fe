// The built webhook.so, loaded with dlopen and driven through its C entry point only (as the
// host does), with a fake host service table; results are copied out and released at once.
#pragma once

#include <dlfcn.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/plugin.h"

namespace webhook::testing {

inline std::string text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }
inline sy_str_view view(const std::string &s) { return {s.data(), s.size()}; }

// What the plugin told its host.
struct FakeHost {
    std::mutex mutex;
    std::vector<std::string> failures, logs;
    sy_host_api api{};
    FakeHost() {
        api.struct_size = sizeof api;
        api.host_ctx = this;
        api.log = [](void *self, sy_log_level, sy_str_view message) {
            auto &host = *static_cast<FakeHost *>(self);
            std::lock_guard lock(host.mutex);
            host.logs.push_back(text(message));
        };
        api.fail = [](void *self, sy_str_view reason) {
            auto &host = *static_cast<FakeHost *>(self);
            std::lock_guard lock(host.mutex);
            host.failures.push_back(text(reason));
        };
    }
};

struct Request {
    std::string kind, method, url, body, rate_key;
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<uint32_t> event_indexes;
};

struct EventError {
    uint32_t event_index;
    sy_outcome outcome;
    uint32_t status;
    std::string message;
};

struct Transformed {
    std::vector<Request> requests;
    std::vector<EventError> errors;
};

struct Sent {
    sy_outcome outcome;
    uint32_t http_status, retry_after_ms;
    std::string message;
};

// The loaded library; unloaded when the object goes.
class WebhookPlugin {
   public:
    WebhookPlugin() : library_(::dlopen(WEBHOOK_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL)) {
        if (library_ == nullptr) throw std::runtime_error(std::string("dlopen failed: ") + ::dlerror());
        auto entry = reinterpret_cast<sy_entry_fn>(::dlsym(library_, SY_ENTRY_SYMBOL));
        if (entry == nullptr || (table_ = entry()) == nullptr) throw std::runtime_error("no plugin table");
    }
    ~WebhookPlugin() { ::dlclose(library_); }
    WebhookPlugin(const WebhookPlugin &) = delete;
    WebhookPlugin &operator=(const WebhookPlugin &) = delete;
    const sy_plugin &table() const { return *table_; }

   private:
    void *library_;
    const sy_plugin *table_ = nullptr;
};

// One destination: init in the constructor (error() says why it failed), destroy at the end.
class Destination {
   public:
    Destination(const WebhookPlugin &plugin, const std::string &settings_json) : table_(plugin.table()) {
        char refusal[1024] = "";
        instance_ = table_.init(&host_.api, view(settings_json), refusal, sizeof refusal);
        error_ = refusal;
    }
    ~Destination() {
        if (instance_ != nullptr) table_.destroy(instance_);
    }
    Destination(const Destination &) = delete;
    Destination &operator=(const Destination &) = delete;

    bool ok() const { return instance_ != nullptr; }
    const std::string &error() const { return error_; }
    FakeHost &host() { return host_; }
    sy_instance *instance() const { return instance_; }

    Transformed transform(const std::vector<std::string> &events, uint32_t max_events_per_request = 1000) {
        std::vector<sy_str_view> views;
        for (const std::string &event : events) views.push_back(view(event));
        const sy_transform_result *result = table_.transform(instance_, views.data(), views.size(), max_events_per_request);
        if (result == nullptr) throw std::runtime_error("transform returned NULL");
        Transformed out = copy(*result);
        table_.release(instance_, result->owner);
        return out;
    }

    // Transforms one event and sends the request it becomes.
    Sent send_event(const std::string &event) {
        const sy_str_view input = view(event);
        const sy_transform_result *transformed = table_.transform(instance_, &input, 1, 1);
        if (transformed == nullptr || transformed->request_count != 1) throw std::runtime_error("no request");
        const sy_send_result *result = table_.send(instance_, &transformed->requests[0]);
        table_.release(instance_, transformed->owner);
        if (result == nullptr) throw std::runtime_error("send returned NULL");
        Sent out{result->outcome, result->http_status, result->retry_after_ms, text(result->message)};
        table_.release(instance_, result->owner);
        return out;
    }

    std::vector<sy_rate_limit> rate_limits() const {
        size_t count = 0;
        const sy_rate_limit *limits = table_.rate_limits(instance_, &count);
        return std::vector<sy_rate_limit>(limits, limits + count);
    }

   private:
    static Transformed copy(const sy_transform_result &result) {
        Transformed out;
        for (size_t i = 0; i < result.request_count; ++i) {
            const sy_request &r = result.requests[i];
            Request request{text(r.kind), text(r.method), text(r.url), text(r.body), text(r.rate_key), {}, {}};
            for (size_t h = 0; h < r.header_count; ++h)
                request.headers.emplace_back(text(r.headers[h].name), text(r.headers[h].value));
            request.event_indexes.assign(r.event_indexes, r.event_indexes + r.event_count);
            out.requests.push_back(std::move(request));
        }
        for (size_t i = 0; i < result.error_count; ++i) {
            const sy_event_error &e = result.errors[i];
            out.errors.push_back({e.event_index, e.outcome, e.status, text(e.message)});
        }
        return out;
    }

    const sy_plugin &table_;
    FakeHost host_;
    sy_instance *instance_ = nullptr;
    std::string error_;
};

}  // namespace webhook::testing
