// `mock-iterable`: the mock Iterable as a process, for the README's demo and end-to-end tests.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "mock_iterable.h"

namespace {

constexpr const char *kHelp = R"(Usage: mock-iterable [flags]

A strict local stand-in for Iterable's API on 127.0.0.1 (never the real Iterable).
Serves POST /api/{users/update, users/bulkUpdate, users/registerDeviceToken,
users/registerBrowserToken, users/updateEmail, events/track, events/trackBulk,
commerce/trackPurchase, commerce/updateCart, catalogs/<name>/items} and
DELETE /api/users/byUserId/<id>; control: GET /_mock/state, GET /_mock/stats,
POST /_mock/reset, POST /_mock/faults {"latency_ms","error_rate","drop_rate","stall_ms",
"throttle_next"}, POST /_mock/next-response {"path","status","body","headers"}
(served once to the next request to that path, e.g. "/api/events/track").

Flags:
  --port N              port on 127.0.0.1 (default 8090; 0 picks one)
  --api-key KEY         an accepted API key (repeatable; default test-api-key)
  --latency-ms N        delay every answer by N ms
  --error-rate R        answer a share R (0..1) of requests with 503
  --drop-rate R         cut a share R of connections without a complete answer
  --stall-ms N          answer only after N ms (to provoke client timeouts)
  --threads N           connections served at once (default 256; an idle keep-alive one holds one)
  --throttle-burst N    answer the next N requests 429 with Retry-After: 1
  --no-rate-limits      do not enforce Iterable's per-endpoint rate limits
  --disallow-event NAME fail bulk items with this event name (repeatable)
  --dump FILE           write the recorded state as JSON to FILE at exit
  --help                this text
)";

struct Flags {
    int port = 8090;
    std::string dump;
    switchyard::testing::MockOptions options;
    switchyard::testing::Faults faults;
};

bool parse(int argc, char **argv, Flags &f) {
    std::vector<std::string> keys;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--no-rate-limits") { f.options.rate_limits = false; continue; }
        if (i + 1 >= argc) return false;
        const std::string value = argv[++i];
        if (flag == "--port") f.port = std::stoi(value);
        else if (flag == "--api-key") keys.push_back(value);
        else if (flag == "--latency-ms") f.faults.latency_ms = std::stoi(value);
        else if (flag == "--error-rate") f.faults.error_rate = std::stod(value);
        else if (flag == "--drop-rate") f.faults.drop_rate = std::stod(value);
        else if (flag == "--stall-ms") f.faults.stall_ms = std::stoi(value);
        else if (flag == "--threads") f.options.connection_threads = std::stoi(value);
        else if (flag == "--throttle-burst") f.faults.throttle_next = std::stoi(value);
        else if (flag == "--disallow-event") f.options.disallowed_events.insert(value);
        else if (flag == "--dump") f.dump = value;
        else return false;
    }
    if (!keys.empty()) f.options.api_keys = keys;
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--help") return std::cout << kHelp, 0;
    Flags flags;
    try {
        if (!parse(argc, argv, flags)) return std::cerr << "mock-iterable: bad flags; see --help\n", 2;
    } catch (const std::exception &) {
        return std::cerr << "mock-iterable: a flag value is not a number; see --help\n", 2;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    switchyard::testing::MockIterable mock(flags.options);
    mock.set_faults(flags.faults);
    if (mock.start(flags.port) < 0) return std::cerr << "mock-iterable: cannot listen on port " << flags.port << "\n", 2;
    std::cout << "mock-iterable listening on " << mock.base_url() << std::endl;
    int signal = 0;
    sigwait(&signals, &signal);
    mock.stop();
    if (!flags.dump.empty()) std::ofstream(flags.dump) << mock.state().dump(2) << "\n";
    return 0;
}
