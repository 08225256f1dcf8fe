// The running host (`switchyard serve`): plugins, configuration, store, router and the HTTP
// listener (ingestion, health, metrics, admin), wired together and shut down in order.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "host/ingest/ingest_api.h"
#include "host/metrics/metrics.h"
#include "host/plugin/plugin_library.h"
#include "host/router/router.h"
#include "host/routing/snapshot.h"
#include "host/store/store.h"

namespace httplib {
class Server;
}

namespace switchyard {

struct ServiceOptions {
    std::filesystem::path config_dir = "config";
    std::filesystem::path plugin_dir;
    std::filesystem::path data_dir = "var";
    std::string listen_host = "127.0.0.1";
    int listen_port = 8080;
    bool admin_from_anywhere = false;  // default: /admin/* answers loopback clients only
    IngestLimits limits;
};

class Service {
   public:
    explicit Service(ServiceOptions options);
    ~Service();

    // Loads plugins and configuration, opens the store and starts delivering. Returns the
    // problems that prevent starting (empty on success).
    std::vector<std::string> start();

    // Serves HTTP until shutdown() is called (from a signal handler thread). Returns false when
    // the listener could not be bound.
    bool serve();

    // Graceful: readiness goes false, the listener stops, in-flight deliveries finish.
    void shutdown();

    int bound_port() const { return bound_port_; }

   private:
    void mount_operations();
    std::shared_ptr<const Snapshot> snapshot() const;
    std::string status_json() const;

    ServiceOptions options_;
    Metrics metrics_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Router> router_;
    std::unique_ptr<IngestApi> ingest_;
    std::unique_ptr<httplib::Server> server_;
    std::vector<std::shared_ptr<const PluginLibrary>> plugins_;
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::atomic<bool> ready_{false};
    std::atomic<bool> stopped_{false};
    std::atomic<bool> listening_{false};  // serve() is inside (or about to enter) httplib's listen loop
    std::atomic<int> bound_port_{0};
};

}  // namespace switchyard
