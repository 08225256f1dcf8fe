// `switchyard serve`: runs the host until SIGTERM or SIGINT, then drains and exits (within
// --shutdown-timeout, whatever a plugin does); SIGHUP reloads.
#include <csignal>
#include <iostream>
#include <limits>
#include <optional>
#include <thread>

#include "host/cli/command.h"
#include "host/config/quantities.h"
#include "host/http/tls_context.h"
#include "host/log/log.h"
#include "host/plugin/connection_advice.h"
#include "host/router/watched_calls.h"
#include "host/service/access_token.h"
#include "host/service/service.h"
#include "host/service/shutdown_deadline.h"

namespace switchyard::cli {
namespace {

constexpr Flag kFlags[] = {
    {"config-dir", "DIR", "directory of workspace *.yaml files", "config"},
    kPluginDirFlag,
    {"data-dir", "DIR", "this host's own directory: the store's database with SQLite, plugin copies, lock (created if missing)", "var"},
    {"store", "URL", "sqlite:PATH, or postgresql://USER:PASSWORD@HOST:PORT/DATABASE shared by several hosts (${ENV} and ${file:PATH} expand; the password is redacted)", "sqlite:DATA_DIR/switchyard.db"},
    {"lease-timeout", "DURATION", "with PostgreSQL: a host that stops renewing its users' partitions loses them after this; the others take them within it plus an eighth", "8s"},
    {"new-store", "", "start a new empty store where the data dir shows an earlier one's database was lost", ""},
    {"listen", "HOST:PORT", "ingestion, /healthz, /readyz, /metrics and /admin/*; port 0 picks one", "127.0.0.1:8080"},
    {"admin-from-anywhere", "", "let non-loopback clients use /admin/* (default: loopback only)", ""},
    {"admin-token-file", "FILE", "/admin/* needs the token in FILE as \"Authorization: Bearer <token>\", from every address", ""},
    {"admin-token", "TOKEN", "as --admin-token-file, but shows in ps: prefer the file", ""},
    {"metrics-token-file", "FILE", "/metrics needs the token in FILE as \"Authorization: Bearer <token>\"", ""},
    {"metrics-token", "TOKEN", "as --metrics-token-file, but shows in ps: prefer the file", ""},
    {"tls-cert", "FILE", "serve HTTPS with this PEM certificate chain (needs --tls-key)", ""},
    {"tls-key", "FILE", "the PEM private key of --tls-cert, unencrypted", ""},
    {"no-watch", "", "do not reload on changes in the plugin and config directories (SIGHUP and /admin/reload still do)", ""},
    {"max-body-bytes", "N", "largest accepted request body after decompression; larger gets 413", "4194304"},
    {"max-connections", "N", "client connections served at once; one more is answered 503", "256"},
    {"max-connections-per-client", "N", "connections served at once from one client address; one more is answered 503", "32"},
    {"idle-timeout", "DURATION", "a connection that starts no request for this long is closed", "5s"},
    {"header-timeout", "DURATION", "a request's line and headers (and a TLS handshake) must arrive within this, else 408", "10s"},
    {"request-timeout", "DURATION", "a request's headers and body must arrive within this, else 408", "30s"},
    {"delivery-threads", "N", "threads delivering to every destination (each destination uses at most its `workers`)", "64"},
    {"connections-per-host", "N", "outbound connections each plugin process keeps open to one API host at most, shared by its destinations", "32"},
    {"idle-connection-timeout", "DURATION", "an outbound connection unused for this long is closed", "30s"},
    {"shutdown-timeout", "DURATION", "SIGTERM or SIGINT ends the process within this, even with plugin calls still running (then exit 1)", "30s"},
    {"log-level", "LEVEL", "least severe log lines written: debug, info, warn or error", "info"},
    {"log-format", "FORMAT", "log lines as logfmt or json (one object per line)", "logfmt"},
};

// Applies --log-level and --log-format; false (after saying why) when one names no level or format.
bool configure_logging(const Args &args) {
    const auto level = log::level_named(args.value_or("log-level", "info"));
    if (!level) {
        std::cerr << "switchyard serve: --log-level must be one of debug, info, warn, error\n";
        return false;
    }
    const auto format = log::format_named(args.value_or("log-format", "logfmt"));
    if (!format) {
        std::cerr << "switchyard serve: --log-format must be logfmt or json\n";
        return false;
    }
    log::set_min_level(*level);
    log::set_format(*format);
    return true;
}

// The listener's limits from the flags; false when one is not a positive number or duration.
bool parse_connection_limits(const Args &args, http::ConnectionLimits &limits) {
    const auto max_connections = parse_whole_number(args.value_or("max-connections", "256"));
    const auto per_client = parse_whole_number(args.value_or("max-connections-per-client", "32"));
    const auto idle = parse_duration(args.value_or("idle-timeout", "5s"));
    const auto header = parse_duration(args.value_or("header-timeout", "10s"));
    const auto request = parse_duration(args.value_or("request-timeout", "30s"));
    if (!max_connections || *max_connections == 0 || !per_client || *per_client == 0 || !idle || idle->count() <= 0 ||
        !header || header->count() <= 0 || !request || request->count() <= 0)
        return false;
    limits.max_connections = *max_connections;
    limits.max_connections_per_client = *per_client;
    limits.idle_timeout = *idle;
    limits.header_timeout = *header;
    limits.request_timeout = *request;
    return true;
}

// What every plugin instance is advised about outbound connections; nullopt when a flag is not a
// positive number or duration (or does not fit the ABI's 32 bits).
std::optional<ConnectionAdvice> parse_connection_advice(const Args &args) {
    constexpr uint64_t kMost = std::numeric_limits<uint32_t>::max();
    const auto per_host = parse_whole_number(args.value_or("connections-per-host", "32"));
    const auto idle = parse_duration(args.value_or("idle-connection-timeout", "30s"));
    if (!per_host || *per_host == 0 || *per_host > kMost || !idle || idle->count() <= 0 ||
        static_cast<uint64_t>(idle->count()) > kMost)
        return std::nullopt;
    return ConnectionAdvice{static_cast<uint32_t>(*per_host), static_cast<uint32_t>(idle->count())};
}

// The access tokens and TLS files; false after saying why (never quoting a token). Tokens are
// registered as secrets before anything could log them.
bool parse_listener_security(const Args &args, ServiceOptions &options) {
    try {
        options.access.admin_token = load_access_token("admin-token", args.value("admin-token"), args.value("admin-token-file"));
        options.access.metrics_token =
            load_access_token("metrics-token", args.value("metrics-token"), args.value("metrics-token-file"));
        log::add_secret(options.access.admin_token);
        log::add_secret(options.access.metrics_token);
        if (args.has("tls-cert") != args.has("tls-key"))
            throw std::invalid_argument("--tls-cert and --tls-key go together: give both or neither.");
        if (args.has("tls-cert")) options.tls = http::TlsContext::load(*args.value("tls-cert"), *args.value("tls-key"));
        return true;
    } catch (const std::exception &e) {
        std::cerr << "switchyard serve: " << e.what() << "\n";
        return false;
    }
}

bool parse_listen(const std::string &text, ServiceOptions &options) {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    auto port = parse_whole_number(std::string_view(text).substr(colon + 1));
    if (!port || *port > 65535) return false;
    options.listen_host = text.substr(0, colon);
    options.listen_port = static_cast<int>(*port);
    return !options.listen_host.empty();
}

// Signals are taken by one thread with sigwait, so no handler runs inside library code.
sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

int run_serve(const Args &args) {
    if (!configure_logging(args)) return kExitUsage;
    ServiceOptions options;
    options.config_dir = args.value_or("config-dir", "config");
    options.plugin_dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    options.data_dir = args.value_or("data-dir", "var");
    options.store = args.value_or("store", "");
    const auto lease_timeout = parse_duration(args.value_or("lease-timeout", "8s"));
    if (!lease_timeout || *lease_timeout < std::chrono::milliseconds(800)) {
        std::cerr << "switchyard serve: --lease-timeout must be a duration of at least 800ms, like 8s\n";
        return kExitUsage;
    }
    options.lease_timeout = *lease_timeout;
    options.access.admin_from_anywhere = args.has("admin-from-anywhere");
    const auto max_body = parse_whole_number(args.value_or("max-body-bytes", "4194304"));
    if (!parse_listen(args.value_or("listen", "127.0.0.1:8080"), options) || !max_body || *max_body == 0 ||
        !parse_connection_limits(args, options.connections)) {
        std::cerr << "switchyard serve: --listen must be HOST:PORT, --max-body-bytes, --max-connections and "
                     "--max-connections-per-client positive numbers, --idle-timeout, --header-timeout and "
                     "--request-timeout durations like 500ms or 30s\n";
        return kExitUsage;
    }
    if (!parse_listener_security(args, options)) return kExitUsage;
    const auto shutdown_timeout = parse_duration(args.value_or("shutdown-timeout", "30s"));
    if (!shutdown_timeout || shutdown_timeout->count() <= 0) {
        std::cerr << "switchyard serve: --shutdown-timeout must be a duration like 500ms or 30s\n";
        return kExitUsage;
    }
    const auto delivery_threads = parse_whole_number(args.value_or("delivery-threads", "64"));
    if (!delivery_threads || *delivery_threads == 0 || *delivery_threads > 4096) {
        std::cerr << "switchyard serve: --delivery-threads must be a whole number from 1 to 4096\n";
        return kExitUsage;
    }
    options.delivery_threads = *delivery_threads;
    const auto advice = parse_connection_advice(args);
    if (!advice) {
        std::cerr << "switchyard serve: --connections-per-host must be a positive number and --idle-connection-timeout "
                     "a duration like 500ms or 30s\n";
        return kExitUsage;
    }
    advise_connections(*advice);  // before any plugin instance is made
    options.limits.max_body_bytes = *max_body;
    options.watch = !args.has("no-watch");
    options.new_store = args.has("new-store");
    const sigset_t signals = handled_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: all inherit it
    Service service(options);
    if (auto problems = service.start(); !problems.empty()) {
        for (const std::string &p : problems) std::cerr << "switchyard serve: " << p << "\n";
        return kExitUsage;
    }
    std::optional<ShutdownDeadline> deadline;
    std::thread signal_waiter([&] {
        int signal = 0;
        while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) service.reload("SIGHUP");
        log::info("host", std::string("Received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") + "; draining.");
        deadline.emplace(*shutdown_timeout, [] { end_process_with_calls_running("Shutdown did not finish in time"); });
        service.shutdown();
    });
    const bool served = service.serve();
    if (!served) {
        std::cerr << "switchyard serve: cannot listen on " << options.listen_host << ":" << options.listen_port
                  << ": another process holds the port, or the address is not one of this machine's.\n";
        // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread): SIGTERM is blocked and sigwait()ed there; this wakes it
        pthread_kill(signal_waiter.native_handle(), SIGTERM);
    }
    signal_waiter.join();
    service.shutdown();
    deadline->finished();
    // Threads abandoned in plugin calls (call_watchdog.h) must not return into a host being torn down.
    if (plugin_calls_running() > 0) end_process_with_calls_running("Drained, but abandoned plugin calls never returned");
    return served ? kExitOk : kExitUsage;
}

}  // namespace

const Command kServeCommand{"serve", "Run the host: ingest events, store them durably, deliver them.", kFlags, run_serve};

}  // namespace switchyard::cli
