// The running host (`switchyard serve`): plugins, configuration, store, router and the HTTP
// listener (ingestion, health, metrics, admin), wired together, reloaded and shut down in order.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "host/http/connection_limits.h"
#include "host/ingest/ingest_api.h"
#include "host/isolation/worker_pools.h"
#include "host/metrics/metrics.h"
#include "host/reload/directory_watcher.h"
#include "host/reload/plugin_registry.h"
#include "host/regulation/regulation_runner.h"
#include "host/regulation/suppression_list.h"
#include "host/reload/reloader.h"
#include "host/router/router.h"
#include "host/service/endpoint_access.h"
#include "host/store/data_dir_lock.h"
#include "host/store/store.h"
#include "host/store/store_guard.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace switchyard {
namespace http {
class GuardedServer;
class TlsContext;
}

struct ServiceOptions {
    std::filesystem::path config_dir = "config";
    std::filesystem::path plugin_dir;
    std::filesystem::path data_dir = "var";
    std::string store;                 // --store: sqlite:PATH or postgresql://...; empty: SQLite in data_dir
    std::chrono::milliseconds lease_timeout{8000};  // with PostgreSQL: see PostgresStoreOptions
    std::string listen_host = "127.0.0.1";
    int listen_port = 8080;
    EndpointAccess access;             // who may call /admin/* and /metrics
    std::shared_ptr<const http::TlsContext> tls;  // when set, the listener speaks HTTPS only
    bool watch = true;                 // reload on changes in the plugin and config directories
    bool new_store = false;            // start empty where an earlier store's database was lost
    IngestLimits limits;
    http::ConnectionLimits connections;
    size_t delivery_threads = kDefaultDeliveryThreads;  // the delivery pool's, for every destination
};

class Service {
   public:
    explicit Service(ServiceOptions options);
    ~Service();

    // Locks the data directory, opens the store, loads plugins (from private copies) and
    // configuration, and starts delivering. Returns the problems that prevent starting (empty on
    // success).
    std::vector<std::string> start();

    // Serves HTTP until shutdown() is called (from a signal handler thread). Returns false when
    // the listener could not be bound.
    bool serve();

    // Re-reads the plugin and config directories; see Reloader::reload. Thread-safe.
    ReloadOutcome reload(const std::string &trigger);

    // Graceful: readiness goes false, the listener stops, in-flight deliveries finish.
    void shutdown();

    int bound_port() const { return bound_port_; }

   private:
    void open_store();
    void open_sqlite_store(const std::filesystem::path &database);
    bool store_healthy() const { return !store_guard_ || store_guard_->healthy(); }
    void mount_operations();
    void start_regulations();
    void start_watching();
    void update_scraped_metrics();
    nlohmann::json destinations_json(const Snapshot &running) const;
    std::string status_json() const;

    ServiceOptions options_;
    Metrics metrics_;
    std::unique_ptr<DataDirLock> data_dir_lock_;  // released last: after the store has closed
    std::unique_ptr<StoreGuard> store_guard_;     // SQLite's; destroyed after the store: see StoreGuard
    std::unique_ptr<Store> store_;
    std::unique_ptr<PluginRegistry> plugins_;
    WorkerPools workers_;  // the plugin workers of destinations with `isolation: process`
    std::unique_ptr<Reloader> reloader_;
    std::unique_ptr<Router> router_;
    regulation::SuppressionList suppressions_;
    std::unique_ptr<regulation::RegulationRunner> regulations_;
    std::unique_ptr<IngestApi> ingest_;
    std::unique_ptr<http::GuardedServer> server_;
    std::unique_ptr<DirectoryWatcher> watcher_;
    std::atomic<bool> ready_{false};
    std::atomic<bool> stopped_{false};
    std::atomic<bool> listening_{false};  // serve() is inside (or about to enter) httplib's listen loop
    std::atomic<int> bound_port_{0};
};

}  // namespace switchyard
