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

void check_request(const sy_request &request, size_t event_count, sy_batching batching, std::vector<int> &carried) {
    if (request.struct_size < sizeof(sy_request)) contract_broken("a request with a short struct_size");
    if (request.method.len == 0 || request.url.len == 0) contract_broken("a request without method or URL");
    if (request.event_count == 0) contract_broken("a request carrying no event");
    if (batching == SY_BATCH_NONE && request.event_count != 1) contract_broken("processor mode batched events");
    for (size_t i = 0; i < request.event_count; ++i) {
        if (request.event_indexes[i] >= event_count) contract_broken("a request names an event index out of range");
        ++carried[request.event_indexes[i]];
    }
    for (size_t i = 0; i < request.header_count; ++i)
        if (view(request.headers[i].name) == "Content-Type" &&
            view(request.headers[i].value).starts_with("application/json") &&
            !nlohmann::json::accept(view(request.body)))
            contract_broken("a JSON request body is not valid JSON: " + std::string(view(request.body)));
}

// plugin.h: every index appears in at least one request or in exactly one error.
void check_result(const sy_transform_result *result, size_t event_count, sy_batching batching) {
    if (result == nullptr) contract_broken("transform() returned NULL (every event would be retried forever)");
    if (result->struct_size < sizeof(sy_transform_result)) contract_broken("a result with a short struct_size");
    std::vector<int> carried(event_count), failed(event_count);
    for (size_t i = 0; i < result->request_count; ++i) check_request(result->requests[i], event_count, batching, carried);
    for (size_t i = 0; i < result->error_count; ++i) {
        const sy_event_error &error = result->errors[i];
        if (error.event_index >= event_count) contract_broken("an error names an event index out of range");
        if (error.status < 400 || error.status > 599) contract_broken("an event error with a non-error status");
        if (error.message.len == 0) contract_broken("an event error without a message");
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
        for (const sy_batching batching : {SY_BATCH_NONE, SY_BATCH_ALLOWED}) {
            const switchyard::TransformResult result = destination->transform(events, batching);
            check_result(result ? &*result : nullptr, events.size(), batching);
        }
    }
    return 0;
}
