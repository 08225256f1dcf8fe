// Fuzzes the event transform through the C ABI: the input, split at newlines, is the events
// of one transform() call of the built iterable.so, in processor and in router mode, on
// destinations made from the conformance settings. Checks the ABI's result contract.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/fuzz/fuzz_destination.h"

namespace switchyard::fuzz {
namespace {

constexpr size_t kMaxEvents = 64;  // a router batch is 200; small keeps executions fast

// The differential settings, and the same with every optional behaviour switched the other
// way (the mapping branches those flags select).
std::vector<std::shared_ptr<Destination>> make_destinations() {
    const nlohmann::json conformance = nlohmann::json::parse(conformance_file("differential/settings.json"));
    nlohmann::json flipped = conformance;
    flipped["dataCenter"] = "EUDC";
    flipped["preferUserId"] = false;
    flipped["mergeNestedObjects"] = false;
    flipped["trackAllPages"] = false;
    flipped["trackCategorisedPages"] = true;
    flipped["trackNamedPages"] = true;
    flipped["mapToSingleEvent"] = true;
    flipped["registerDeviceOrBrowserApiKey"] = "fuzz-device-key";
    std::vector<std::shared_ptr<Destination>> destinations;
    for (const nlohmann::json &settings : {conformance, flipped}) {
        std::string error;
        auto destination = Destination::create(iterable_plugin(), "fuzz", settings.dump(), error);
        if (!destination) contract_broken("the conformance settings were refused: " + error);
        destinations.push_back(std::move(destination));
    }
    return destinations;
}

std::vector<sy_str_view> split_events(const uint8_t *data, size_t size) {
    std::vector<sy_str_view> events;
    const char *text = reinterpret_cast<const char *>(data);
    size_t start = 0;
    while (start <= size && events.size() < kMaxEvents) {
        size_t end = start;
        while (end < size && text[end] != '\n') ++end;
        events.push_back({text + start, end - start});
        start = end + 1;
    }
    return events;
}

std::string_view view(sy_str_view s) { return {s.ptr, s.len}; }

void check_request(const RequestRead &request, size_t event_count, uint32_t max_events, std::vector<int> &carried) {
    if (request.fields.struct_size < sizeof(sy_request)) contract_broken("a request with a short struct_size");
    if (request.fields.kind.len == 0) contract_broken("a request without a kind");
    if (request.fields.method.len == 0 || request.fields.url.len == 0) contract_broken("a request without method or URL");
    if (request.event_indexes.empty()) contract_broken("a request carrying no event");
    if (request.event_indexes.size() > max_events) contract_broken("a request carries more events than allowed");
    for (const uint32_t index : request.event_indexes) {
        if (index >= event_count) contract_broken("a request names an event index out of range");
        ++carried[index];
    }
    for (const sy_header &header : request.headers)
        if (view(header.name) == "Content-Type" && view(header.value).starts_with("application/json") &&
            !nlohmann::json::accept(view(request.fields.body)))
            contract_broken("a JSON request body is not valid JSON: " + std::string(view(request.fields.body)));
}

// plugin.h: every index appears in at least one request or in exactly one error.
void check_result(const TransformResult &result, size_t event_count, uint32_t max_events) {
    if (!result) contract_broken("transform() gave no usable result (every event would be retried forever): " +
                                 result.problem());
    std::vector<int> carried(event_count), failed(event_count);
    for (const RequestRead &request : result->requests) check_request(request, event_count, max_events, carried);
    for (const EventErrorRead &error : result->errors) {
        if (error.event_index >= event_count) contract_broken("an error names an event index out of range");
        if (error.skipped_by_host) {
            ++failed[error.event_index];
            continue;
        }
        if (error.outcome != SY_ABORT && error.outcome != SY_RETRY && error.outcome != SY_SKIPPED)
            contract_broken("an event error with an outcome that is not abort, retry or skipped");
        if (error.outcome == SY_ABORT && (error.status < 400 || error.status > 599))
            contract_broken("an aborted event with a non-error status");
        if (error.message.empty()) contract_broken("an event error without a message");
        ++failed[error.event_index];
    }
    for (size_t i = 0; i < event_count; ++i)
        if (failed[i] > 1 || (carried[i] == 0 && failed[i] == 0) || (carried[i] > 0 && failed[i] > 0))
            contract_broken("event " + std::to_string(i) + " is carried by " + std::to_string(carried[i]) +
                            " request(s) and has " + std::to_string(failed[i]) + " error(s)");
}

}  // namespace
}  // namespace switchyard::fuzz

namespace {
// Made before fuzzing starts, so that libFuzzer sees the plugin's coverage from the first input.
std::vector<std::shared_ptr<switchyard::Destination>> *destinations = nullptr;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    destinations = new std::vector(switchyard::fuzz::make_destinations());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace switchyard::fuzz;
    const std::vector<sy_str_view> events = split_events(data, size);
    for (const auto &destination : *destinations) {
        for (const uint32_t max_events : {1u, destination->plugin().max_events_per_request()}) {
            const switchyard::TransformResult result = destination->transform(events, max_events);
            check_result(result, events.size(), max_events);
        }
    }
    return 0;
}
