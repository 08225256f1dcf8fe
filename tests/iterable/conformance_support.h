// Test support for the Iterable conformance suite: loads iterable.so through the host's
// loader, runs events through the C ABI, and compares outputs under the rules of
// tests/data/conformance/iterable/README.md (a C++ port of compare.py).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/plugin/destination.h"

namespace iterable_test {

using nlohmann::json;

// A file of tests/data/conformance/iterable/ (`relative` to it), parsed; a missing file throws
// "conformance data missing: <file> (...)".
json read_conformance_json(const std::string &relative);
std::vector<std::string> read_conformance_lines(const std::string &relative);  // the non-blank lines

// The loaded plugin (once per process).
std::shared_ptr<const switchyard::PluginLibrary> iterable_plugin();

// A destination from a RudderStack config. Keys the plugin's schema does not know (other
// destinations' keys in some vectors, e.g. "hubID") are dropped and listed in `dropped`.
std::shared_ptr<switchyard::Destination> make_destination(const json &config, std::vector<std::string> *dropped = nullptr);

// One output line in the differential files' format:
// {indexes, status, requests:[{method, endpoint, headers, body}]} or {indexes, status, error}.
// Requests are in sending order; errors follow.
// Router mode passes the plugin's max_events_per_request, processor mode 1, as the host does.
enum class Mode { processor, router };
std::vector<json> run_events(const switchyard::Destination &destination, const std::vector<std::string> &events,
                             Mode mode);

// Processor mode: the entries of one event compared with the reference's; "" when equal. An event
// the host skipped for its message type matches a reference error.
std::string compare_processor(const json &expected_line, const json &actual_line);
// The per-event processor line (index, status, requests | error) built from run_events output.
json processor_line(size_t index, const std::vector<json> &entries);

struct RouterComparison {
    size_t total = 0;
    std::vector<std::string> event_mismatches;  // "event i: why"
    std::vector<std::string> batch_mismatches;  // registrations/catalog documents
    std::vector<std::string> invariant_problems;  // order, limits, empty batches
    size_t equal() const { return total - event_mismatches.size(); }
    bool ok() const { return event_mismatches.empty() && batch_mismatches.empty() && invariant_problems.empty(); }
};

// Router mode: per event, as compare.py does. `messages` are the input events (for the
// per-user order check, which holds per destination: `destinations`, when given, names each
// event's destination); entries without "batch" belong to batch min(indexes) / batch_size.
RouterComparison compare_router(const std::vector<json> &expected, const std::vector<json> &actual,
                                const std::vector<json> &messages, size_t batch_size,
                                const std::vector<std::string> *destinations = nullptr);

// The api key value of a request's headers (api_key or Api-Key), or null.
json key_value(const json &headers);

}  // namespace iterable_test
