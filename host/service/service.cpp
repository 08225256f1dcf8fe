// Wiring of the running host, and its operational endpoints.
#include "host/service/service.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "host/http/guarded_server.h"
#include "host/log/log.h"
#include "host/log/utc_time.h"
#include "host/metrics/process_metrics.h"
#include "host/router/crash_journal.h"
#include "host/router/watched_calls.h"
#include "host/service/regulation_endpoints.h"
#include "host/store/lost_database.h"
#include "host/store/store_location.h"
#include "switchyard/plugin.h"

namespace switchyard {
namespace {

// Whether `instance` is one the running snapshot delivers `live` through.
bool in_force(const std::shared_ptr<const Destination> &instance, const LiveDestination &live) {
    if (!instance) return false;
    if (instance == live.instance) return true;
    return std::any_of(live.connections.begin(), live.connections.end(),
                       [&](const auto &connection) { return connection.second.instance == instance; });
}

// Where plugins are copied before loading; the filesystem must allow mapping code.
constexpr const char *kPluginCopies = "plugin-copies";

// Every string of an answer redacted before it is serialised (a secret holding a quote would no
// longer match once escaped): reload errors quote plugins' init errors, which may quote settings.
nlohmann::json redacted(nlohmann::json value) {
    if (value.is_string()) return log::redact(value.get<std::string>());
    if (value.is_structured())
        for (auto &element : value) element = redacted(std::move(element));
    return value;
}

nlohmann::json outcome_json(const ReloadOutcome &outcome) {
    nlohmann::json out = {{"trigger", outcome.trigger},
                          {"at_ms", outcome.at_ms},
                          {"outcome", result_name(outcome.result)},
                          {"generation", outcome.generation}};
    if (!outcome.error.empty()) out["error"] = outcome.error;
    return out;
}

}  // namespace

Service::Service(ServiceOptions options)
    : options_(std::move(options)),
      server_(std::make_unique<http::GuardedServer>(options_.connections, metrics_, options_.tls)) {
    // SDKs keep one connection open; httplib's default closes it after every 5th request.
    server_->set_keep_alive_max_count(100'000);
    declare_process_metrics(metrics_);
    metrics_.declare("switchyard_partitions_held", Metrics::Type::gauge,
                     "Partitions of users this host delivers for, on a store shared by several hosts (PostgreSQL).");
    metrics_.declare("switchyard_build_info", Metrics::Type::gauge, "Always 1; labels name the host's version and plugin ABI.");
    metrics_.set("switchyard_build_info",
                 {{"version", SWITCHYARD_VERSION}, {"abi", std::to_string(SY_ABI_MAJOR) + "." + std::to_string(SY_ABI_MINOR)}}, 1);
}

Service::~Service() { shutdown(); }

std::vector<std::string> Service::start() {
    try {
        open_store();
        plugins_ = std::make_unique<PluginRegistry>(options_.plugin_dir, options_.data_dir / kPluginCopies);
    } catch (const std::exception &e) {
        return {e.what()};
    }
    reloader_ = std::make_unique<Reloader>(*plugins_, options_.config_dir, metrics_, &workers_);
    if (auto problems = reloader_->load_first(); !problems.empty()) {
        for (std::string &problem : problems) problem = log::redact(problem);
        return problems;
    }
    router_ = std::make_unique<Router>(*store_, metrics_, options_.delivery_threads);
    store_->on_jobs_added([this](std::span<const std::string_view> destinations) { router_->jobs_added(destinations); });
    router_->apply(reloader_->snapshot());
    reloader_->connect([this](const std::shared_ptr<const Snapshot> &s) { router_->apply(s); },
                       [this] {
                           std::map<std::string, uint64_t> pending;
                           for (const QueueStats &q : store_->queue_stats()) pending[q.destination] = q.depth;
                           return pending;
                       });
    ingest_ = std::make_unique<IngestApi>(*store_, metrics_, [this] { return reloader_->snapshot()->sources; },
                                          options_.limits, [this] { return store_healthy(); });
    try {
        start_regulations();
    } catch (const std::exception &e) {
        return {e.what()};
    }
    ingest_->mount(*server_);
    mount_operations();
    if (options_.watch) start_watching();
    const auto running = reloader_->snapshot();
    log::info("host", "Loaded " + std::to_string(plugins_->current().size()) + " plugin(s), " +
                          std::to_string(running->sources->size()) + " source(s), " +
                          std::to_string(running->destinations.size()) + " destination(s).");
    return {};
}

// One host per data directory, and never a silent fresh start where a database was lost.
// Throws std::runtime_error with the sentence that stops the start.
void Service::open_store() {
    std::string error;
    const std::optional<StoreLocation> location = parse_store_location(options_.store, options_.data_dir, error);
    if (!location) throw std::runtime_error(error);
    if (location->postgresql_url.empty()) {
        open_sqlite_store(location->sqlite_file);
    } else {
        data_dir_lock_ = std::make_unique<DataDirLock>(options_.data_dir);
        store_ = open_postgres_store({location->postgresql_url, options_.data_dir, options_.lease_timeout});
        const Store::PartitionShare share = store_->partition_share().value_or(Store::PartitionShare{});
        log::info("store", "Store " + location->shown + ": holding " + std::to_string(share.held) + " of " +
                               std::to_string(share.of) + " partitions of the users.");
    }
    blame_plugin_crash(*store_, log::unix_now_ms());
}

void Service::open_sqlite_store(const std::filesystem::path &database) {
    // Before the lock is taken: its file is a trace of every earlier host.
    const std::optional<std::string> traces =
        traces_of_lost_database(database, options_.data_dir, {DataDirLock::kFileName, kPluginCopies});
    data_dir_lock_ = std::make_unique<DataDirLock>(options_.data_dir);
    if (traces && !options_.new_store)
        throw std::runtime_error("Found no database " + database.string() + " but traces of an earlier store beside it (" +
                                 *traces + "), so what it held is lost: restore the file, or start with "
                                           "--new-store to begin a new empty store.");
    if (traces) remove_lost_database_journal(database);
    store_ = open_sqlite_store_file(database);
    store_guard_ = std::make_unique<StoreGuard>(database);
    if (traces)
        log::warn("store", "Started a new empty store " + database.string() + " (--new-store); the earlier one was lost.");
}

// Suppressions apply from the first event on; deletions go on where they stopped.
void Service::start_regulations() {
    regulations_ = std::make_unique<regulation::RegulationRunner>(
        *store_, [this] { return reloader_->snapshot(); }, suppressions_);
    regulations_->refresh();
    ingest_->suppress_with([this](std::string_view user_id, std::string_view destination) {
        return suppressions_.suppressed(user_id, destination);
    });
    mount_regulation_endpoints(*server_, options_.access, *store_, *regulations_);
    regulations_->start();
}

// Without inotify the host still runs; SIGHUP and POST /admin/reload still reload.
void Service::start_watching() {
    try {
        watcher_ = std::make_unique<DirectoryWatcher>(std::vector{options_.plugin_dir, options_.config_dir},
                                                      [this] { reload("inotify"); });
    } catch (const std::exception &e) {
        log::warn("reload", std::string("Not watching for changes (reload with SIGHUP or POST /admin/reload): ") + e.what());
    }
}

ReloadOutcome Service::reload(const std::string &trigger) { return reloader_->reload(trigger); }

void Service::mount_operations() {
    server_->Get("/healthz", [](const httplib::Request &, httplib::Response &res) { res.set_content("ok\n", "text/plain"); });
    server_->Get("/readyz", [this](const httplib::Request &, httplib::Response &res) {
        const bool ready = ready_ && store_healthy();
        res.status = ready ? 200 : 503;
        res.set_content(ready ? "ready\n" : "not ready\n", "text/plain");
    });
    server_->Get("/metrics", [this](const httplib::Request &req, httplib::Response &res) {
        if (!metrics_allowed(options_.access, req, res)) return;
        update_scraped_metrics();
        res.set_content(log::redact(metrics_.render()), "text/plain; version=0.0.4");
    });
    server_->Get("/admin/status", [this](const httplib::Request &req, httplib::Response &res) {
        if (admin_allowed(options_.access, req, res)) res.set_content(status_json(), "application/json");
    });
    server_->Post("/admin/reload", [this](const httplib::Request &req, httplib::Response &res) {
        if (!admin_allowed(options_.access, req, res)) return;
        const ReloadOutcome outcome = reload("admin");
        res.status = outcome.result == ReloadOutcome::Result::failed ? 422 : 200;
        res.set_content(redacted(outcome_json(outcome)).dump(), "application/json");
    });
}

// Gauges read from the store and /proc when scraped. Every configured destination shows,
// an empty queue as 0 rather than as a gap.
void Service::update_scraped_metrics() {
    static constexpr const char *kStoreGauges[] = {"switchyard_queue_depth", "switchyard_queue_oldest_age_seconds",
                                                   "switchyard_dead_letters"};
    for (const char *gauge : kStoreGauges) metrics_.clear(gauge);
    for (const auto &[key, live] : reloader_->snapshot()->destinations)
        for (const char *gauge : kStoreGauges) metrics_.set(gauge, {{"destination", key}}, 0);
    const int64_t now = log::unix_now_ms();
    for (const QueueStats &q : store_->queue_stats()) {
        metrics_.set("switchyard_queue_depth", {{"destination", q.destination}}, static_cast<double>(q.depth));
        const double age = q.oldest_created_ms != 0 ? (now - q.oldest_created_ms) / 1000.0 : 0;
        metrics_.set("switchyard_queue_oldest_age_seconds", {{"destination", q.destination}}, age);
    }
    for (const auto &[destination, letters] : store_->dead_letter_counts())
        metrics_.set("switchyard_dead_letters", {{"destination", destination}}, static_cast<double>(letters));
    metrics_.set("switchyard_plugin_calls_running", {}, static_cast<double>(plugin_calls_running()));
    if (const auto share = store_->partition_share()) metrics_.set("switchyard_partitions_held", {}, static_cast<double>(share->held));
    update_process_metrics(metrics_);
}

// Each destination with its queue depth; when it had one since the host started, its last
// delivery error (redacted) and when it happened; and whether its instance in force is degraded
// (a plugin call abandoned at its deadline; a reload that replaces the instance clears it).
nlohmann::json Service::destinations_json(const Snapshot &running) const {
    std::map<std::string, uint64_t> depths;
    for (const QueueStats &q : store_->queue_stats()) depths[q.destination] = q.depth;
    const std::map<std::string, LastError> errors = router_->last_errors();
    const std::map<std::string, Degradation> degraded = router_->degradations();
    nlohmann::json destinations = nlohmann::json::array();
    for (const auto &[key, live] : running.destinations) {
        nlohmann::json destination = {{"key", key},
                                      {"plugin", live.config.plugin},
                                      {"plugin_version", live.instance->plugin().version()},
                                      {"queue_depth", depths[key]},
                                      {"last_error", nullptr},
                                      {"last_error_at", nullptr},
                                      {"degraded", nullptr}};
        if (auto error = errors.find(key); error != errors.end()) {
            destination["last_error"] = error->second.reason;
            destination["last_error_at"] = log::rfc3339_utc(error->second.at_ms);
        }
        if (auto it = degraded.find(key); it != degraded.end() && in_force(it->second.instance.lock(), live))
            destination["degraded"] = it->second.why;
        destinations.push_back(std::move(destination));
    }
    return destinations;
}

std::string Service::status_json() const {
    nlohmann::json status = {{"plugins", nlohmann::json::array()}, {"suspended", nlohmann::json::array()}};
    for (const LoadedPlugin &p : plugins_->current())
        status["plugins"].push_back({{"name", p.library->name()},
                                     {"version", p.library->version()},
                                     {"abi", std::to_string(p.library->abi_major()) + "." + std::to_string(p.library->abi_minor())},
                                     {"sha256", p.sha256},
                                     {"file", p.file.string()}});
    const auto running = reloader_->snapshot();
    status["config_generation"] = running->generation;
    status["destinations"] = destinations_json(*running);
    for (const auto &[key, why] : running->suspended) status["suspended"].push_back({{"key", key}, {"why", why}});
    if (auto last = reloader_->last_reload()) status["last_reload"] = outcome_json(*last);
    return redacted(std::move(status)).dump();
}

bool Service::serve() {
    const int port = options_.listen_port == 0 ? server_->bind_to_any_port(options_.listen_host)
                                               : (server_->bind_to_port(options_.listen_host, options_.listen_port)
                                                      ? options_.listen_port
                                                      : -1);
    if (port < 0) return false;
    server_->widen_listen_backlog();
    bound_port_ = port;
    ready_ = true;
    log::info("host", "Listening on " + options_.listen_host + ":" + std::to_string(port) + (options_.tls ? " (HTTPS)." : "."));
    listening_ = true;
    const bool served = !stopped_ && server_->listen_after_bind();
    listening_ = false;
    return served || stopped_;
}

void Service::shutdown() {
    if (stopped_.exchange(true)) return;
    ready_ = false;
    watcher_.reset();  // no reload starts while the host stops
    // httplib's stop() is a no-op until its listen loop runs, so repeat it until serve() returns.
    while (listening_) {
        server_->stop();  // stops accepting; requests being answered finish first
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (regulations_) regulations_->stop();
    if (!router_) return;  // never started
    router_->stop();
    log::info("host", "Stopped: listener closed, in-flight deliveries finished.");
}

}  // namespace switchyard
