// Wiring of the running host, and its operational endpoints.
#include "host/service/service.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "host/log/log.h"

namespace switchyard {
namespace {

bool is_loopback(const std::string &address) {
    return address.rfind("127.", 0) == 0 || address == "::1" || address == "::ffff:127.0.0.1";
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Service::Service(ServiceOptions options) : options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
    server_->set_tcp_nodelay(true);  // else Nagle holds each answer for the client's delayed ACK (~40 ms)
}

Service::~Service() { shutdown(); }

std::shared_ptr<const Snapshot> Service::snapshot() const {
    std::lock_guard lock(snapshot_mutex_);
    return snapshot_;
}

std::vector<std::string> Service::start() {
    DirectoryLoad loaded = load_plugin_directory(options_.plugin_dir);
    for (const std::string &refusal : loaded.refusals) log::warn("loader", refusal);
    plugins_ = loaded.plugins;
    ConfigLoad config = load_config_dir(options_.config_dir);
    if (!config.problems.empty()) return config.problems;
    SnapshotBuild build = build_snapshot(config.config, plugins_, 1);
    if (!build.snapshot) return build.problems;
    try {
        store_ = open_sqlite_store(options_.data_dir);
    } catch (const std::exception &e) {
        return {e.what()};
    }
    snapshot_ = build.snapshot;
    router_ = std::make_unique<Router>(*store_, metrics_);
    router_->apply(snapshot_);
    ingest_ = std::make_unique<IngestApi>(*store_, metrics_, [this] { return snapshot()->sources; }, options_.limits);
    ingest_->mount(*server_);
    mount_operations();
    log::info("host", "Loaded " + std::to_string(plugins_.size()) + " plugin(s), " +
                          std::to_string(snapshot_->sources->size()) + " source(s), " +
                          std::to_string(snapshot_->destinations.size()) + " destination(s).");
    return {};
}

void Service::mount_operations() {
    server_->Get("/healthz", [](const httplib::Request &, httplib::Response &res) { res.set_content("ok\n", "text/plain"); });
    server_->Get("/readyz", [this](const httplib::Request &, httplib::Response &res) {
        res.status = ready_ ? 200 : 503;
        res.set_content(ready_ ? "ready\n" : "not ready\n", "text/plain");
    });
    server_->Get("/metrics", [this](const httplib::Request &, httplib::Response &res) {
        metrics_.clear("switchyard_queue_depth");
        metrics_.clear("switchyard_queue_oldest_age_seconds");
        const int64_t now = now_ms();
        for (const auto &[key, live] : snapshot()->destinations) {  // an empty queue shows as 0, not as a gap
            metrics_.set("switchyard_queue_depth", {{"destination", key}}, 0);
            metrics_.set("switchyard_queue_oldest_age_seconds", {{"destination", key}}, 0);
        }
        for (const QueueStats &q : store_->queue_stats()) {
            metrics_.set("switchyard_queue_depth", {{"destination", q.destination}}, static_cast<double>(q.depth));
            const double age = q.oldest_created_ms != 0 ? (now - q.oldest_created_ms) / 1000.0 : 0;
            metrics_.set("switchyard_queue_oldest_age_seconds", {{"destination", q.destination}}, age);
        }
        res.set_content(metrics_.render(), "text/plain; version=0.0.4");
    });
    server_->Get("/admin/status", [this](const httplib::Request &req, httplib::Response &res) {
        if (!options_.admin_from_anywhere && !is_loopback(req.remote_addr)) {
            res.status = 403;
            return res.set_content(R"({"error":"admin endpoints answer loopback clients only"})", "application/json");
        }
        res.set_content(status_json(), "application/json");
    });
}

std::string Service::status_json() const {
    nlohmann::json status;
    for (const auto &p : plugins_)
        status["plugins"].push_back({{"name", p->name()},
                                     {"version", p->version()},
                                     {"abi", std::to_string(p->abi_major()) + "." + std::to_string(p->abi_minor())},
                                     {"path", p->path().string()}});
    const auto current = snapshot();
    status["config_generation"] = current->generation;
    for (const auto &[key, live] : current->destinations)
        status["destinations"].push_back({{"key", key}, {"plugin", live.config.plugin}});
    return status.dump();
}

bool Service::serve() {
    const int port = options_.listen_port == 0 ? server_->bind_to_any_port(options_.listen_host)
                                               : (server_->bind_to_port(options_.listen_host, options_.listen_port)
                                                      ? options_.listen_port
                                                      : -1);
    if (port < 0) return false;
    bound_port_ = port;
    ready_ = true;
    log::info("host", "Listening on " + options_.listen_host + ":" + std::to_string(port) + ".");
    listening_ = true;
    const bool served = !stopped_ && server_->listen_after_bind();
    listening_ = false;
    return served || stopped_;
}

void Service::shutdown() {
    if (stopped_.exchange(true)) return;
    ready_ = false;
    // httplib's stop() is a no-op until its listen loop runs, so repeat it until serve() returns.
    while (listening_) {
        server_->stop();  // stops accepting; requests being answered finish first
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!router_) return;  // never started
    router_->stop();
    log::info("host", "Stopped: listener closed, in-flight deliveries finished.");
}

}  // namespace switchyard
