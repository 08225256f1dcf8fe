// The mock Iterable's HTTP side: routes, API keys, rate limits, faults and control endpoints.
#include "mock_iterable.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "mock_records.h"

namespace switchyard::testing {
namespace {

using json = nlohmann::json;

// Iterable's documented per-project limits, requests per second.
const std::map<std::string, int> kRateLimits = {
    {"events/track", 2000},           {"users/update", 500},           {"users/registerDeviceToken", 500},
    {"users/registerBrowserToken", 500}, {"events/trackBulk", 10},     {"users/bulkUpdate", 5},
    {"commerce/trackPurchase", 500},  {"commerce/updateCart", 500},    {"users/updateEmail", 500},
};

const std::set<std::string> kEndpoints = {
    "users/update", "users/bulkUpdate", "users/registerDeviceToken", "users/registerBrowserToken",
    "users/updateEmail", "events/track", "events/trackBulk", "commerce/trackPurchase", "commerce/updateCart"};

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string api_key_of(const httplib::Request &req) {
    for (const auto &[name, value] : req.headers) {
        std::string lower;
        for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "api-key" || lower == "api_key") return value;
    }
    return {};
}

// Iterable's user deletions: DELETE users/byUserId/{userId} and DELETE users/{email}.
const std::string kDeleteByUserIdPrefix = "users/byUserId/";
const std::string kDeleteByEmailPrefix = "users/";

// The user a DELETE endpoint names, or "" when it names none.
std::string deleted_user(const std::string &endpoint) {
    for (const std::string &prefix : {kDeleteByUserIdPrefix, kDeleteByEmailPrefix}) {
        if (endpoint.rfind(prefix, 0) != 0 || endpoint.size() == prefix.size()) continue;
        const std::string rest = endpoint.substr(prefix.size());
        if (rest.find('/') == std::string::npos && rest != "byUserId") return rest;
    }
    return {};
}

bool known_endpoint(const std::string &endpoint) {
    return kEndpoints.count(endpoint) != 0 || !catalog_name(endpoint).empty();
}

}  // namespace

MockIterable::MockIterable(MockOptions options)
    : options_(std::move(options)), server_(std::make_unique<httplib::Server>()), state_(empty_state()) {
    // Iterable keeps connections open; httplib's default closes one after 5 requests.
    server_->set_keep_alive_max_count(100000);
    server_->set_keep_alive_timeout(60);
    server_->set_tcp_nodelay(true);  // else Nagle holds each answer's body for a delayed ACK (~40 ms)
    // httplib's default pool (8 threads here) is held by idle keep-alive connections: with many
    // destinations the mock stopped answering at all.
    const auto threads = static_cast<size_t>(std::max(1, options_.connection_threads));
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    mount();
}

MockIterable::~MockIterable() { stop(); }

int MockIterable::start(int port) {
    port_ = port == 0 ? server_->bind_to_any_port("127.0.0.1") : (server_->bind_to_port("127.0.0.1", port) ? port : -1);
    if (port_ < 0) return port_;
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // httplib's stop() is a no-op until the listen loop runs: wait for it so stop() always stops.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return port_;
}

void MockIterable::stop() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
}

std::string MockIterable::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/"; }

json MockIterable::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

MockStats MockIterable::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void MockIterable::set_faults(const Faults &faults) {
    std::lock_guard lock(mutex_);
    faults_ = faults;
}

void MockIterable::queue_response(const std::string &path, int status, std::string body,
                                  std::map<std::string, std::string> headers) {
    std::lock_guard lock(mutex_);
    canned_[path].push_back({status, std::move(body), std::move(headers)});
}

void MockIterable::reset() {
    std::lock_guard lock(mutex_);
    state_ = empty_state();
    stats_ = {};
    faults_ = {};
    canned_.clear();
    recent_.clear();
    peers_.clear();
}

void MockIterable::answer(httplib::Response &res, int status, const json &body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
    std::lock_guard lock(mutex_);
    ++stats_.by_status[status];
}

// Sliding one-second window per API key and endpoint, as Iterable counts.
bool MockIterable::over_rate_limit(const std::string &key, const std::string &endpoint) {
    auto limit = kRateLimits.find(endpoint);
    if (!options_.rate_limits || limit == kRateLimits.end()) return false;
    std::deque<int64_t> &times = recent_[key + " " + endpoint];
    const int64_t now = now_ms();
    while (!times.empty() && times.front() <= now - 1000) times.pop_front();
    if (static_cast<int>(times.size()) >= limit->second) return true;
    times.push_back(now);
    return false;
}

// Returns true when a fault answered (or dropped) the request. Throttling is decided first and
// consumes one of the N only when it answers, so `throttle_next = N` yields exactly N 429s.
bool MockIterable::apply_faults(httplib::Response &res) {
    thread_local std::mt19937 random{std::random_device{}()};
    Faults f;
    bool throttled = false;
    {
        std::lock_guard lock(mutex_);
        f = faults_;
        throttled = faults_.throttle_next > 0;
        if (throttled) --faults_.throttle_next;
    }
    const int delay = f.latency_ms + f.stall_ms;
    if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    if (throttled) {
        res.set_header("Retry-After", "1");
        answer(res, 429, error_body("RateLimitExceeded", "Rate limit exceeded"));
        return true;
    }
    std::uniform_real_distribution<double> share(0, 1);
    if (f.drop_rate > 0 && share(random) < f.drop_rate) {
        // httplib hands a handler no socket to close, so promise a body and fail to write it: the
        // client sees the connection cut before a complete answer and must treat it as lost.
        res.set_content_provider(64, "application/json", [](size_t, size_t, httplib::DataSink &) { return false; });
        return true;
    }
    if (f.error_rate > 0 && share(random) < f.error_rate) {
        answer(res, 503, error_body("ServiceUnavailable", "Service temporarily unavailable"));
        return true;
    }
    return false;
}

// Counts a request and the connection it came on (a new address:port is a new connection).
void MockIterable::count(const httplib::Request &req, const std::string &endpoint) {
    std::lock_guard lock(mutex_);
    ++stats_.requests;
    ++stats_.by_path[endpoint];
    peers_.insert(req.remote_addr + ":" + std::to_string(req.remote_port));
    stats_.connections = peers_.size();
}

bool MockIterable::serve_canned(const std::string &path, httplib::Response &res) {
    std::lock_guard lock(mutex_);
    auto canned = canned_.find(path);
    if (canned == canned_.end() || canned->second.empty()) return false;
    Canned c = std::move(canned->second.front());
    canned->second.pop_front();
    res.status = c.status;
    for (const auto &[name, value] : c.headers) res.set_header(name.c_str(), value);
    res.set_content(c.body, "application/json");
    ++stats_.by_status[c.status];
    return true;
}

// Order as a client meets it: canned answer, injected fault, API key, route, JSON, field types,
// rate limit; only then is the request recorded (without its API key, which lives in a header).
void MockIterable::handle(const httplib::Request &req, httplib::Response &res) {
    const std::string endpoint = req.path.substr(5);  // after "/api/"
    count(req, endpoint);
    if (serve_canned(req.path, res) || apply_faults(res)) return;
    const std::string key = api_key_of(req);
    if (std::find(options_.api_keys.begin(), options_.api_keys.end(), key) == options_.api_keys.end())
        return answer(res, 401, error_body("BadApiKey", "Invalid API key"));
    const bool deletion = req.method == "DELETE";
    if (deletion ? deleted_user(endpoint).empty() : !known_endpoint(endpoint))
        return answer(res, 404, error_body("NotFound", "No such endpoint: " + req.path));
    const json body = deletion ? json::object() : json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return answer(res, 400, error_body("BadJsonBody", "[" + req.path + "] Invalid JSON body"));
    if (auto rejection = validate(endpoint, body)) return answer(res, 400, error_body(rejection->code, rejection->msg));
    std::unique_lock lock(mutex_);
    if (over_rate_limit(key, endpoint)) {
        lock.unlock();
        res.set_header("Retry-After", "1");
        return answer(res, 429, error_body("RateLimitExceeded", "Rate limit exceeded"));
    }
    json reply = deletion ? delete_user(deleted_user(endpoint), state_)
                          : record(endpoint, body, state_, options_.disallowed_events);
    json entry = {{"method", req.method}, {"path", req.path}, {"user_agent", req.get_header_value("User-Agent")},
                  {"received_ms", wall_clock_ms()}};
    if (!deletion) entry["body"] = body;
    state_["requests"].push_back(std::move(entry));
    lock.unlock();
    answer(res, 200, reply);
}

void MockIterable::mount() {
    auto route = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
    server_->Post(R"(/api/.*)", route);
    server_->Delete(R"(/api/.*)", route);
    mount_control();
    // Anything else (GET /api/..., unknown control paths) is counted and answered like Iterable.
    // httplib calls this for every answer of 400 or more: a routed answer (a canned 404, the
    // route's own 404) already has its body and stays as it is.
    server_->set_error_handler([this](const httplib::Request &req, httplib::Response &res) {
        if (res.status != 404 || !res.body.empty()) return;
        count(req, req.path.rfind("/api/", 0) == 0 ? req.path.substr(5) : req.path);
        answer(res, 404, error_body("NotFound", "No such endpoint"));
    });
}

}  // namespace switchyard::testing
