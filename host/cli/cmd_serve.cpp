// `switchyard serve`: runs the host until SIGTERM or SIGINT, then drains and exits; SIGHUP reloads.
#include <csignal>
#include <iostream>
#include <thread>

#include "host/cli/command.h"
#include "host/log/log.h"
#include "host/service/service.h"

namespace switchyard::cli {
namespace {

constexpr Flag kFlags[] = {
    {"config-dir", "DIR", "directory of workspace *.yaml files", "config"},
    {"plugin-dir", "DIR", "directory of plugin *.so files", "plugins/ beside the executable"},
    {"data-dir", "DIR", "where the durable store lives (created if missing)", "var"},
    {"listen", "HOST:PORT", "ingestion, /healthz, /readyz, /metrics and /admin/*; port 0 picks one", "127.0.0.1:8080"},
    {"admin-from-anywhere", "", "let non-loopback clients use /admin/* (default: loopback only)", ""},
    {"no-watch", "", "do not reload on changes in the plugin and config directories (SIGHUP and /admin/reload still do)", ""},
    {"max-body-bytes", "N", "largest accepted request body after decompression; larger gets 413", "4194304"},
};

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
    ServiceOptions options;
    options.config_dir = args.value_or("config-dir", "config");
    options.plugin_dir = args.value("plugin-dir") ? std::filesystem::path(*args.value("plugin-dir")) : default_plugin_dir();
    options.data_dir = args.value_or("data-dir", "var");
    options.admin_from_anywhere = args.has("admin-from-anywhere");
    const auto max_body = parse_whole_number(args.value_or("max-body-bytes", "4194304"));
    if (!parse_listen(args.value_or("listen", "127.0.0.1:8080"), options) || !max_body || *max_body == 0) {
        std::cerr << "switchyard serve: --listen must be HOST:PORT and --max-body-bytes a positive number\n";
        return kExitUsage;
    }
    options.limits.max_body_bytes = *max_body;
    options.watch = !args.has("no-watch");
    const sigset_t signals = handled_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: all inherit it
    Service service(options);
    if (auto problems = service.start(); !problems.empty()) {
        for (const std::string &p : problems) std::cerr << "switchyard serve: " << p << "\n";
        return kExitUsage;
    }
    std::thread signal_waiter([&] {
        int signal = 0;
        while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) service.reload("SIGHUP");
        log::info("host", std::string("Received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") + "; draining.");
        service.shutdown();
    });
    const bool served = service.serve();
    if (!served) {
        std::cerr << "switchyard serve: cannot listen on " << options.listen_host << ":" << options.listen_port << "\n";
        pthread_kill(signal_waiter.native_handle(), SIGTERM);
    }
    signal_waiter.join();
    service.shutdown();
    return served ? kExitOk : kExitUsage;
}

}  // namespace

const Command kServeCommand{"serve", "Run the host: ingest events, store them durably, deliver them.", kFlags, run_serve};

}  // namespace switchyard::cli
