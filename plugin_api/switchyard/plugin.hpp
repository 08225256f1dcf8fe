// switchyard/plugin.hpp — header-only C++17 helpers for plugin authors: string views,
// noexcept barriers, and result objects that own what the C structs point into.
// Nothing here is part of the ABI; a plugin may ignore it and use plugin.h alone.
#ifndef SWITCHYARD_PLUGIN_HPP
#define SWITCHYARD_PLUGIN_HPP

#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "switchyard/plugin.h"

namespace sy {

inline std::string_view view(sy_str_view v) noexcept { return {v.ptr ? v.ptr : "", v.len}; }
inline sy_str_view view(std::string_view s) noexcept { return {s.data(), s.size()}; }

// Tells the host why the current hook fails, if the host offers fail().
inline void report_failure(const sy_host_api *host, std::string_view reason) noexcept {
    if (SY_HOST_HAS(host, fail)) host->fail(host->host_ctx, view(reason));
}

// Adds `delta` to this destination's counter `name` in the host's /metrics, if the host offers it.
inline void count(const sy_host_api *host, std::string_view name, uint64_t delta) noexcept {
    if (SY_HOST_HAS(host, count)) host->count(host->host_ctx, view(name), delta);
}

// Sets this destination's gauge `name` in the host's /metrics, if the host offers it.
inline void gauge(const sy_host_api *host, std::string_view name, double value) noexcept {
    if (SY_HOST_HAS(host, gauge)) host->gauge(host->host_ctx, view(name), value);
}

// Runs `body` and turns any exception into `fallback`: wrap every hook in one.
template <class Result, class Body>
Result barrier(Result fallback, Body &&body) noexcept {
    try {
        return body();
    } catch (...) {
        return fallback;
    }
}

// The same, and tells the host why (host->fail), so the exception's message reaches its log.
template <class Result, class Body>
Result barrier(const sy_host_api *host, Result fallback, Body &&body) noexcept {
    try {
        return body();
    } catch (const std::exception &e) {
        report_failure(host, e.what());
    } catch (...) {
        report_failure(host, "unknown exception");
    }
    return fallback;
}

// Copies `message` into the host's init error buffer, truncating, always NUL-terminated.
inline void write_error(char *error, size_t error_cap, std::string_view message) noexcept {
    if (error == nullptr || error_cap == 0) return;
    size_t n = message.size() < error_cap - 1 ? message.size() : error_cap - 1;
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
}

// Base of every result a plugin hands out; release() deletes through it.
struct OwnedResult {
    virtual ~OwnedResult() = default;
};

inline void release_owned(void *owner) noexcept { delete static_cast<OwnedResult *>(owner); }

struct Header {
    std::string name;
    std::string value;
};

// One request being built. Header values and bodies are owned copies.
struct Request {
    std::string method = "POST";
    std::string url;
    std::vector<Header> headers;
    std::string body;
    std::vector<uint32_t> event_indexes;
    std::string rate_key;
    std::string kind;  // the plugin's label for what the request does; send() grades by it
};

// Owns a transform result: add requests and errors, then publish() once.
class TransformOutput final : public OwnedResult {
   public:
    void add(Request request) { requests_.push_back(std::move(request)); }
    // An event that produced no request: SY_ABORT (invalid), SY_RETRY or SY_SKIPPED.
    void add_error(uint32_t event_index, sy_outcome outcome, uint32_t status, std::string message) {
        errors_.push_back({event_index, outcome, status, std::move(message)});
    }

    const sy_transform_result *publish() {
        c_headers_.clear();
        for (const Request &r : requests_)
            for (const Header &h : r.headers)
                c_headers_.push_back({sizeof(sy_header), view(h.name), view(h.value)});
        c_requests_.clear();
        size_t next_header = 0;
        for (const Request &r : requests_) {
            sy_request c{};
            c.struct_size = sizeof(sy_request);
            c.kind = view(r.kind);
            c.method = view(r.method);
            c.url = view(r.url);
            c.headers = r.headers.empty() ? nullptr : &c_headers_[next_header];
            c.header_count = r.headers.size();
            next_header += r.headers.size();
            c.body = view(r.body);
            c.event_indexes = r.event_indexes.data();
            c.event_count = r.event_indexes.size();
            c.rate_key = view(r.rate_key);
            c_requests_.push_back(c);
        }
        c_errors_.clear();
        for (const Error &e : errors_)
            c_errors_.push_back({sizeof(sy_event_error), e.event_index, e.outcome, e.status, view(e.message)});
        result_ = {};
        result_.struct_size = sizeof(sy_transform_result);
        result_.owner = static_cast<OwnedResult *>(this);
        result_.requests = c_requests_.data();
        result_.request_count = c_requests_.size();
        result_.errors = c_errors_.data();
        result_.error_count = c_errors_.size();
        return &result_;
    }

   private:
    struct Error {
        uint32_t event_index;
        sy_outcome outcome;
        uint32_t status;
        std::string message;
    };
    std::vector<Request> requests_;
    std::vector<Error> errors_;
    std::vector<sy_header> c_headers_;
    std::vector<sy_request> c_requests_;
    std::vector<sy_event_error> c_errors_;
    sy_transform_result result_{};
};

struct EventOutcome {
    sy_outcome outcome = SY_OK;
    uint32_t status = 0;
    std::string message;
};

// Owns a send result. Leave `events` empty when every event shares the outcome.
class SendOutput final : public OwnedResult {
   public:
    sy_outcome outcome = SY_OK;
    uint32_t http_status = 0;
    uint32_t retry_after_ms = 0;
    std::string message;
    std::vector<EventOutcome> events;

    const sy_send_result *publish() {
        c_events_.clear();
        for (const EventOutcome &e : events) c_events_.push_back({sizeof(sy_event_outcome), e.outcome, e.status, view(e.message)});
        result_ = {};
        result_.struct_size = sizeof(sy_send_result);
        result_.owner = static_cast<OwnedResult *>(this);
        result_.outcome = outcome;
        result_.http_status = http_status;
        result_.retry_after_ms = retry_after_ms;
        result_.message = view(message);
        result_.events = c_events_.empty() ? nullptr : c_events_.data();
        result_.event_count = c_events_.size();
        return &result_;
    }

   private:
    std::vector<sy_event_outcome> c_events_;
    sy_send_result result_{};
};


// Publishes `output` and hands it to the host, which owns it until the release() hook frees it.
// If publish() throws, `output` still owns the object and deletes it.
template <class Output>
auto hand_to_host(std::unique_ptr<Output> output) {
    auto result = output->publish();
    static_cast<void>(output.release());  // owned by the host from here on
    return result;
}
}  // namespace sy

#endif  // SWITCHYARD_PLUGIN_HPP
