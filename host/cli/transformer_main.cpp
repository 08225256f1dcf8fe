// `switchyard-transformer` (what `switchyard transformer` runs): serves rudder-transformer's HTTP
// API with the loaded plugins, so that rudder-server uses them as its destination transformer,
// until SIGTERM or SIGINT.
#include <csignal>
#include <iostream>
#include <thread>

#include "host/cli/transformer_flags.h"
#include "host/log/log.h"
#include "host/plugin/plugin_library.h"
#include "host/transformer/http_server.h"

namespace switchyard::cli {
namespace {

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

// SIGTERM and SIGINT, blocked in every thread (call before any starts), are waited for on a
// thread of their own, which stops `server`.
std::thread stop_on_signal(transformer::HttpServer &server) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return std::thread([&server, signals] {
        int signal = 0;
        sigwait(&signals, &signal);
        log::info("transformer", std::string("Received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") + "; stopping.");
        server.stop();  // requests being answered finish first
    });
}

int serve(const Args &args) {
    const auto listen = parse_listen(args.value_or("listen", kDefaultTransformerListen));
    const auto max_body = parse_whole_number(args.value_or("max-body-bytes", kDefaultTransformerMaxBody));
    const auto max_connections =
        parse_whole_number(args.value_or("max-connections", kDefaultTransformerMaxConnections));
    if (!listen || !max_body || *max_body == 0 || !max_connections || *max_connections == 0) {
        std::cerr << "switchyard transformer: --listen must be HOST:PORT, --max-body-bytes and --max-connections "
                     "positive numbers\n";
        return kExitUsage;
    }
    const std::filesystem::path plugin_dir = args.value_or("plugin-dir", default_plugin_dir().string());
    DirectoryLoad loaded = load_plugin_directory(plugin_dir);
    for (const std::string &refusal : loaded.refusals) log::warn("transformer", "Plugin refused: " + refusal);
    if (loaded.plugins.empty()) {
        std::cerr << "switchyard transformer: no plugin loaded from " << plugin_dir.string() << "\n";
        return kExitUsage;
    }
    transformer::TransformerApi api(std::move(loaded.plugins));
    transformer::HttpServer server(api, {*max_body, *max_connections});
    std::string error;
    const int port = server.listen(listen->host, listen->port, error);
    if (port < 0) {
        std::cerr << "switchyard transformer: " << error
                  << " (another process may hold the port, or the address is not one of this machine's)\n";
        return kExitUsage;
    }
    std::thread signal_waiter = stop_on_signal(server);
    log::info("transformer", "Listening on " + listen->host + ":" + std::to_string(port) + "; serving " + api.features());
    server.run();
    signal_waiter.join();
    return kExitOk;
}

int run(int argc, char **argv) {
    const std::span<char *const> words(argv + 1, static_cast<size_t>(argc - 1));
    for (std::string_view word : words)
        if (word == "--help" || word == "-h") {
            std::cout << "Usage: switchyard transformer [flags]\n\n" << kTransformerSummary << "\n\nFlags:\n"
                      << describe_flags(kTransformerFlags) << "  --help                    this text\n";
            return kExitOk;
        }
    std::string error;
    const auto args = Args::parse(words, kTransformerFlags, error);
    if (!args) {
        std::cerr << "switchyard transformer: " << error << "\n";
        return kExitUsage;
    }
    return serve(*args);
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char **argv) {
    try {
        return switchyard::cli::run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "switchyard transformer: " << e.what() << "\n";
        return switchyard::cli::kExitUsage;
    }
}
