// `switchyard transformer`: serves rudder-transformer's HTTP API with the loaded plugins, so that
// rudder-server uses them as its destination transformer, until SIGTERM or SIGINT.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <sched.h>

#include "host/cli/command.h"
#include "host/http/guarded_server.h"
#include "host/log/log.h"
#include "host/metrics/metrics.h"
#include "host/transformer/transformer_api.h"

namespace switchyard::cli {
namespace {

// rudder-transformer's own default port, so that rudder-server's DEST_TRANSFORM_URL changes host only.
constexpr std::string_view kDefaultListen = "127.0.0.1:9090";
// rudder-transformer accepts JSON bodies up to 200 MB (its koa-bodyparser jsonLimit): router
// batches of large events reach tens of MB.
constexpr std::string_view kDefaultMaxBody = "209715200";

constexpr Flag kFlags[] = {
    {"listen", "HOST:PORT", "where rudder-server reaches it (its DEST_TRANSFORM_URL); port 0 picks one", kDefaultListen},
    kPluginDirFlag,
    {"max-body-bytes", "N", "largest accepted request body; larger gets 413", kDefaultMaxBody},
    {"max-connections", "N",
     "connections open at once, each on its own thread (transforms run one per core); one more is answered 503", "256"},
};

struct Listen {
    std::string host;  // cppcheck-suppress unusedStructMember
    int port = 0;
};

std::optional<Listen> parse_listen(const std::string &text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    const auto port = parse_whole_number(text.substr(colon + 1));
    if (!port || *port > 65535) return std::nullopt;
    return Listen{text.substr(0, colon), static_cast<int>(*port)};
}

int run_transformer(const Args &args) {
    const auto listen = parse_listen(args.value_or("listen", kDefaultListen));
    const auto max_body = parse_whole_number(args.value_or("max-body-bytes", kDefaultMaxBody));
    const auto max_connections = parse_whole_number(args.value_or("max-connections", "256"));
    if (!listen || !max_body || *max_body == 0 || !max_connections || *max_connections == 0) {
        std::cerr << "switchyard transformer: --listen must be HOST:PORT, --max-body-bytes and --max-connections "
                     "positive numbers\n";
        return kExitUsage;
    }
    const std::filesystem::path plugin_dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    DirectoryLoad loaded = load_plugin_directory(plugin_dir);
    for (const std::string &refusal : loaded.refusals) log::warn("transformer", "Plugin refused: " + refusal);
    if (loaded.plugins.empty()) {
        std::cerr << "switchyard transformer: no plugin loaded from " << plugin_dir.string() << "\n";
        return kExitUsage;
    }
    // Transforms are batch work: a connection thread woken by the next request must not preempt a
    // transform in progress (it would only wait for a worker), nor take the core's caches from it.
    const sched_param batch{};
    sched_setscheduler(0, SCHED_BATCH, &batch);  // before any thread starts: all inherit it; best effort
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: all inherit it

    Metrics metrics;
    // rudder-server is one client sending from many goroutines: the per-client bound is the whole bound.
    http::ConnectionLimits limits;
    limits.max_connections = limits.max_connections_per_client = *max_connections;
    http::GuardedServer server(limits, metrics);
    server.set_payload_max_length(*max_body);
    // rudder-server keeps its connections open; httplib's default closes one after every 5th request.
    server.set_keep_alive_max_count(100'000);
    transformer::TransformerApi api(std::move(loaded.plugins));
    api.install(server);
    const int port = listen->port == 0 ? server.bind_to_any_port(listen->host)
                                       : (server.bind_to_port(listen->host, listen->port) ? listen->port : -1);
    if (port < 0) {
        std::cerr << "switchyard transformer: cannot listen on " << listen->host << ":" << listen->port
                  << ": another process holds the port, or the address is not one of this machine's.\n";
        return kExitUsage;
    }
    server.widen_listen_backlog();
    std::atomic<bool> listening{true};
    std::thread signal_waiter([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        log::info("transformer", std::string("Received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") + "; stopping.");
        // httplib's stop() is a no-op until its listen loop runs, so repeat it until that returns.
        while (listening) {
            server.stop();  // requests being answered finish first
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    log::info("transformer", "Listening on " + listen->host + ":" + std::to_string(port) + "; serving " + api.features());
    server.listen_after_bind();
    listening = false;
    signal_waiter.join();
    return kExitOk;
}

}  // namespace

const Command kTransformerCommand{
    "transformer", "Serve rudder-transformer's HTTP API with the plugins, for rudder-server's DEST_TRANSFORM_URL.",
    kFlags, run_transformer};

}  // namespace switchyard::cli
