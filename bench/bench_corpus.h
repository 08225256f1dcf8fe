// Events for the micro benchmarks, from bench/gen_corpus.py, so that the macro and micro
// benchmarks measure the same events (needs python3 at run time).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace switchyard::bench {

inline const char *const kKinds[] = {"identify",        "track",         "page",           "screen", "alias", "group",
                                     "order-completed", "product-added", "product-removed"};

// `count` events of one kind (bench/gen_corpus.py --only KIND), one JSON text each; empty when
// the generator cannot run.
inline std::vector<std::string> generate_events(const std::string &kind, size_t count) {
    const std::string command = "python3 " SWITCHYARD_SOURCE_DIR "/bench/gen_corpus.py --events " +
                                std::to_string(count) + " --only " + kind;
    // NOLINTNEXTLINE(cert-env33-c): running the corpus generator is the point; the command is fixed
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(::popen(command.c_str(), "r"), ::pclose);
    if (!pipe) return {};
    std::vector<std::string> events;
    std::string line;
    char chunk[64 * 1024];
    while (std::fgets(chunk, sizeof chunk, pipe.get()) != nullptr) {
        line += chunk;
        if (line.back() != '\n') continue;
        line.pop_back();
        events.push_back(std::move(line));
        line.clear();
    }
    return events;
}

// main() of a benchmark binary whose benchmarks `register_all` registers (per kind, at run time).
inline int run_benchmarks(int argc, char **argv, void (*register_all)()) {
    register_all();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

}  // namespace switchyard::bench
