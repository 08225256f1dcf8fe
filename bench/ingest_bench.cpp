// Micro benchmark of the ingestion API's CPU per event outside HTTP: one /v1/batch body parsed
// and every event normalised (RequestBody, as the handler does it for each request), per kind of
// event and batch size. Run: build/bench/ingest_bench (needs python3 for the events)
#include <map>
#include <string>
#include <utility>

#include <benchmark/benchmark.h>

#include "bench/bench_corpus.h"
#include "host/ingest/request_body.h"

namespace switchyard {
namespace {

constexpr int64_t kReceivedAtMs = 1'795'000'000'000;

// A /v1/batch body of `batch` events of one kind, as an SDK sends it.
const std::string &batch_body(const std::string &kind, size_t batch) {
    static std::map<std::pair<std::string, size_t>, std::string> bodies;
    std::string &body = bodies[{kind, batch}];
    if (body.empty()) {
        body = "{\"batch\":[";
        const std::vector<std::string> events = bench::generate_events(kind, batch);
        for (size_t i = 0; i < events.size(); ++i) body += (i > 0 ? "," : "") + events[i];
        body += "],\"sentAt\":\"2026-11-29T09:00:00.000Z\"}";
    }
    return body;
}

void parse_and_normalize(benchmark::State &state, const std::string &kind, size_t batch) {
    std::string body = batch_body(kind, batch);
    const IngestLimits limits;
    size_t stored_bytes = 0;
    for (auto _ : state) {
        ingest::RequestBody request;  // one per request, as in the handler
        if (!request.parse(body)) return state.SkipWithError(request.error().c_str());
        const ingest::BodyOutcome outcome = request.normalize("", kReceivedAtMs, "127.0.0.1", limits);
        if (outcome.status != 200 || outcome.events.size() != batch) return state.SkipWithError(outcome.error.c_str());
        for (const ingest::NormalizedEvent &event : outcome.events) stored_bytes += event.payload.size();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
    state.counters["stored_bytes/event"] =
        static_cast<double>(stored_bytes) / static_cast<double>(state.iterations() * batch);
}

// ingest/KIND/BATCH
void register_benchmarks() {
    for (const char *kind : bench::kKinds)
        for (const size_t batch : {1, 100}) {
            const std::string name = std::string("ingest/") + kind + "/" + std::to_string(batch);
            benchmark::RegisterBenchmark(name.c_str(), parse_and_normalize, std::string(kind), batch);
        }
}

}  // namespace
}  // namespace switchyard

int main(int argc, char **argv) {
    return switchyard::bench::run_benchmarks(argc, argv, switchyard::register_benchmarks);
}
