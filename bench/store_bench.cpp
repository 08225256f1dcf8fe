// Micro benchmarks of the SQLite store: group-committed appends from many threads, and the
// router's claim + settle loop, with and without the crash journal. Run: build/bench/store_bench (the data goes to $TMPDIR).
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <random>

#include <benchmark/benchmark.h>

#include "host/store/store.h"

namespace switchyard {
namespace {

constexpr size_t kBatchSize = 100;       // events per append, as the ingestion API's /v1/batch
constexpr size_t kPayloadBytes = 1000;   // a typical RudderStack track event is ~1 KB
constexpr int kAppendsPerThread = 250;
constexpr std::string_view kDestination = "acme/iterable";

std::filesystem::path fresh_data_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "switchyard-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
}

// cppcheck-suppress constParameter ; drawing numbers advances the generator
std::vector<IncomingEvent> batch_of_events(std::mt19937 &random) {
    std::vector<IncomingEvent> batch;
    for (size_t i = 0; i < kBatchSize; ++i) {
        const std::string user = "user-" + std::to_string(random() % 10'000);
        std::string payload = "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"" + user +
                              "\",\"properties\":{\"note\":\"";
        payload.append(kPayloadBytes - payload.size() - 4, 'x');
        payload += "\"}}";
        batch.push_back({std::move(payload), user, {std::string(kDestination)}});
    }
    return batch;
}

// Append latencies of the last run, all threads together (milliseconds).
std::mutex latencies_mutex;
std::vector<double> latencies_ms;

// One store shared by a run's threads; thread 0 replaces it before each run (Google Benchmark
// lets no thread into the timed loop before every thread's setup is over).
struct Shared {
    std::filesystem::path dir;
    std::unique_ptr<Store> store;

    void close() {
        store.reset();
        if (!dir.empty()) std::filesystem::remove_all(dir);
        dir.clear();
    }
};
Shared shared;

void BM_GroupCommittedAppend(benchmark::State &state) {
    if (state.thread_index() == 0) {
        shared.close();
        shared.dir = fresh_data_dir();
        shared.store = open_sqlite_store(shared.dir);
        std::lock_guard lock(latencies_mutex);
        latencies_ms.clear();
    }
    std::mt19937 random(static_cast<unsigned>(state.thread_index()));
    const std::vector<IncomingEvent> batch = batch_of_events(random);
    std::vector<double> mine;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        shared.store->append(batch, 1);
        mine.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchSize));
    {
        std::lock_guard lock(latencies_mutex);
        latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    }
}
BENCHMARK(BM_GroupCommittedAppend)->Threads(1)->Threads(8)->Iterations(kAppendsPerThread)->UseRealTime();

// The router's loop on a backlog: claim 100 due jobs, settle them delivered; with argument 1,
// in between, the crash journal's entry (begin + end) of an in-process plugin call.
void BM_ClaimAndSettle(benchmark::State &state) {
    const bool journaled = state.range(0) == 1;
    const std::filesystem::path dir = fresh_data_dir();
    auto store = open_sqlite_store(dir);
    std::mt19937 random(7);  // NOLINT(cert-msc51-cpp): the same events in every run
    const std::vector<IncomingEvent> batch = batch_of_events(random);
    for (int i = 0; i < 600; ++i) store->append(batch, 1);
    auto nobody_busy = [](std::string_view) { return false; };
    for (auto _ : state) {
        const std::vector<Job> jobs = store->claim(kDestination, kBatchSize, 1, nobody_busy);
        if (journaled) {
            std::vector<int64_t> ids;
            ids.reserve(jobs.size());
            for (const Job &job : jobs) ids.push_back(job.id);
            store->end_plugin_call(store->begin_plugin_call(kDestination, ids));
        }
        std::vector<JobSettlement> delivered;
        delivered.reserve(jobs.size());
        for (const Job &job : jobs) delivered.push_back({job.id, Settlement::delivered, 0, {}});
        store->settle(delivered, 1);
        if (jobs.empty()) state.SkipWithError("the backlog ran out");
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchSize));
    store.reset();
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ClaimAndSettle)->Arg(0)->Arg(1)->Iterations(500)->UseRealTime();

// The crash journal's cost per batch alone: begin + end of an entry of 100 jobs.
void BM_CrashJournalEntry(benchmark::State &state) {
    const std::filesystem::path dir = fresh_data_dir();
    auto store = open_sqlite_store(dir);
    std::vector<int64_t> ids(kBatchSize);
    std::iota(ids.begin(), ids.end(), 1'000'000);
    for (auto _ : state) store->end_plugin_call(store->begin_plugin_call(kDestination, ids));
    state.SetItemsProcessed(state.iterations());  // batches
    store.reset();
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CrashJournalEntry)->Iterations(2000)->UseRealTime();

void print_latencies() {
    std::lock_guard lock(latencies_mutex);
    if (latencies_ms.empty()) return;
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto at = [](double q) { return latencies_ms[static_cast<size_t>(q * static_cast<double>(latencies_ms.size() - 1))]; };
    std::printf("append latency of the last append run (%zu appends): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                latencies_ms.size(), at(0.50), at(0.99), latencies_ms.back());
}

}  // namespace
}  // namespace switchyard

int main(int argc, char **argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    switchyard::print_latencies();
    switchyard::shared.close();
    benchmark::Shutdown();
    return 0;
}
