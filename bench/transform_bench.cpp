// Micro benchmark of the Iterable plugin's transform through the C ABI, loaded as the host loads
// it (load_plugin + Destination::create with the differential settings), per kind of event, mode
// and batch size. No JSON printing, no stdin: only the plugin call and the release of its result.
// Run: build/bench/transform_bench [--benchmark_filter=transform/alias/] (needs python3 for the events)
//   SWITCHYARD_BENCH_PLUGIN=FILE.so and SWITCHYARD_BENCH_SETTINGS=FILE replace the defaults.
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/bench_corpus.h"
#include "host/config/settings_file.h"
#include "host/plugin/destination.h"

namespace switchyard {
namespace {

constexpr size_t kPoolEvents = 4000;  // cycled through: more than a cache's worth of ~1.2 KB events

std::string setting_or(const char *env, const std::string &fallback) {
    const char *value = std::getenv(env);
    return value != nullptr && *value != '\0' ? value : fallback;
}

struct Pool {
    std::vector<std::string> texts;
    std::vector<sy_str_view> views;  // into `texts`
};

const Pool &pool_of(const std::string &kind) {
    static std::map<std::string, Pool> pools;
    Pool &pool = pools[kind];
    if (pool.texts.empty()) {
        pool.texts = bench::generate_events(kind, kPoolEvents);
        for (const std::string &text : pool.texts) pool.views.push_back({text.data(), text.size()});
    }
    return pool;
}

std::shared_ptr<Destination> open_iterable(std::string &error) {
    const std::string plugin_file = setting_or("SWITCHYARD_BENCH_PLUGIN", SWITCHYARD_PLUGIN_DIR "/iterable.so");
    const std::string settings_file = setting_or(
        "SWITCHYARD_BENCH_SETTINGS", SWITCHYARD_SOURCE_DIR "/tests/data/conformance/iterable/differential/settings.json");
    LoadOutcome loaded = load_plugin(plugin_file);
    if (!loaded.plugin) {
        error = loaded.refusal;
        return nullptr;
    }
    auto settings = read_settings_file(settings_file, error);
    return settings ? Destination::create(loaded.plugin, "bench", *settings, error) : nullptr;
}

std::shared_ptr<Destination> destination_or_null(std::string &error) {
    static const std::shared_ptr<Destination> destination = open_iterable(error);
    return destination;
}

void transform_events(benchmark::State &state, const std::string &kind, bool router, size_t batch) {
    std::string error;
    const std::shared_ptr<Destination> destination = destination_or_null(error);
    if (!destination) return state.SkipWithError(("cannot open the Iterable plugin: " + error).c_str());
    const Pool &pool = pool_of(kind);
    if (pool.views.size() < batch) return state.SkipWithError("gen_corpus.py gave too few events");
    const uint32_t max_events = destination->plugin().max_events_per_request();
    size_t next = 0, bytes = 0, requests = 0, refused = 0;
    for (auto _ : state) {
        if (next + batch > pool.views.size()) next = 0;
        const std::span<const sy_str_view> events(pool.views.data() + next, batch);
        const TransformResult result = destination->transform(events, router ? max_events : 1);
        if (!result) return state.SkipWithError("the plugin returned no result");
        requests += result->requests.size();
        refused += result->errors.size();
        for (const sy_str_view &event : events) bytes += event.len;
        next += batch;
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    const double calls = static_cast<double>(state.iterations());
    state.counters["requests/call"] = static_cast<double>(requests) / calls;
    state.counters["refused/call"] = static_cast<double>(refused) / calls;
}

// transform/KIND/router|processor/BATCH, so that --benchmark_filter can pick any of them.
void register_benchmarks() {
    for (const char *kind : bench::kKinds)
        for (const bool router : {true, false})
            for (const size_t batch : {1, 20, 200}) {
                const std::string name = std::string("transform/") + kind + (router ? "/router/" : "/processor/") +
                                         std::to_string(batch);
                benchmark::RegisterBenchmark(name.c_str(), transform_events, std::string(kind), router, batch);
            }
}

}  // namespace
}  // namespace switchyard

int main(int argc, char **argv) {
    return switchyard::bench::run_benchmarks(argc, argv, switchyard::register_benchmarks);
}
