// `switchyard transform`: what would these events become? NDJSON events in on stdin,
// one NDJSON line per event (processor mode) or per request/error (router mode) out.
#include <algorithm>
#include <iostream>
#include <vector>

#include "host/cli/command.h"
#include "host/cli/destination_flags.h"
#include "host/cli/request_json.h"
#include "host/delivery/event_outcome.h"
#include "host/json/json_text.h"

namespace switchyard::cli {
namespace {

// An abort keeps the line it always had; another outcome (retry, skipped) is named before the error.
void append_error_fields(std::string &out, const EventErrorRead &error) {
    out += ",\"status\":" + std::to_string(error.status);
    if (error.outcome == SY_RETRY || error.outcome == SY_SKIPPED)
        out += ",\"outcome\":\"" + std::string(outcome_name(error.outcome)) + "\"";
    out += ",\"error\":";
    json::append_string(out, error.message);
    out += "}\n";
}

// One line per event: its requests in sending order, or its error.
void write_processor_lines(const TransformRead &r, size_t first_index, size_t count, std::string &out) {
    std::vector<std::vector<const RequestRead *>> requests(count);
    std::vector<const EventErrorRead *> errors(count, nullptr);
    for (const RequestRead &request : r.requests)
        for (const uint32_t index : request.event_indexes)
            if (index < count) requests[index].push_back(&request);
    for (const EventErrorRead &error : r.errors)
        if (error.event_index < count) errors[error.event_index] = &error;
    for (size_t i = 0; i < count; ++i) {
        out += "{\"index\":" + std::to_string(first_index + i);
        if (errors[i] != nullptr) {
            append_error_fields(out, *errors[i]);
            continue;
        }
        out += ",\"status\":200,\"requests\":[";
        for (size_t q = 0; q < requests[i].size(); ++q) {
            if (q > 0) out += ',';
            append_request_json(out, *requests[i][q]);
        }
        out += "]}\n";
    }
}

// One line per request (in sending order), then one per failed or skipped event.
void write_router_lines(const TransformRead &r, size_t batch, size_t first_index, std::string &out) {
    const std::string prefix = "{\"batch\":" + std::to_string(batch) + ",\"indexes\":[";
    for (const RequestRead &request : r.requests) {
        out += prefix;
        for (size_t e = 0; e < request.event_indexes.size(); ++e)
            out += (e > 0 ? "," : "") + std::to_string(first_index + request.event_indexes[e]);
        out += "],\"status\":200,\"requests\":[";
        append_request_json(out, request);
        out += "]}\n";
    }
    for (const EventErrorRead &error : r.errors) {
        out += prefix + std::to_string(first_index + error.event_index) + "]";
        append_error_fields(out, error);
    }
}

// When the plugin produced no usable result, every event of the call gets an error line.
void write_plugin_failure(const std::string &problem, bool router, size_t batch, size_t first_index, size_t count,
                          std::string &out) {
    for (size_t i = 0; i < count; ++i) {
        out += router ? "{\"batch\":" + std::to_string(batch) + ",\"indexes\":[" + std::to_string(first_index + i) + "]"
                      : "{\"index\":" + std::to_string(first_index + i);
        append_error_fields(out, {0, SY_ABORT, 500, problem, false});
    }
}

bool any_problem(const TransformRead &r) {
    return std::any_of(r.errors.begin(), r.errors.end(), [](const auto &e) { return e.outcome != SY_SKIPPED; });
}

int run_transform(const Args &args) {
    auto opened = open_destination(args);
    if (!opened) return kExitUsage;
    const bool router = opened->router_mode;
    // The CLI contract: processor mode is one event per request, router mode batches.
    const uint32_t max_events = router ? opened->destination->plugin().max_events_per_request() : 1;
    bool any_failed = false;
    std::string out;
    for_each_event_batch(opened->batch_size, [&](const EventBatch &batch) {
        const TransformResult result = opened->destination->transform(batch.events, max_events);
        out.clear();
        if (!result)
            write_plugin_failure(result.problem(), router, batch.number, batch.first_index, batch.events.size(), out);
        else if (router)
            write_router_lines(*result, batch.number, batch.first_index, out);
        else
            write_processor_lines(*result, batch.first_index, batch.events.size(), out);
        any_failed = any_failed || !result || any_problem(*result);
        std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    });
    std::cout.flush();
    return any_failed ? kExitProblems : kExitOk;
}

}  // namespace

const Command kTransformCommand{"transform",
                                "Show the requests a plugin makes of NDJSON events on stdin (no delivery).",
                                kDestinationFlags, run_transform};

}  // namespace switchyard::cli
