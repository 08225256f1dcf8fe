// `switchyard transform`: what would these events become? NDJSON events in on stdin,
// one NDJSON line per event (processor mode) or per request/error (router mode) out.
#include <iostream>
#include <vector>

#include "host/cli/command.h"
#include "host/cli/destination_flags.h"
#include "host/cli/request_json.h"
#include "host/json/json_text.h"

namespace switchyard::cli {
namespace {

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

void append_error_fields(std::string &out, uint32_t status, std::string_view message) {
    out += ",\"status\":" + std::to_string(status) + ",\"error\":";
    json::append_string(out, message);
    out += "}\n";
}

// One line per event: its requests in sending order, or its error.
void write_processor_lines(const sy_transform_result &r, size_t first_index, size_t count, std::string &out) {
    std::vector<std::vector<const sy_request *>> requests(count);
    std::vector<const sy_event_error *> errors(count, nullptr);
    for (size_t q = 0; q < r.request_count; ++q)
        for (size_t e = 0; e < r.requests[q].event_count; ++e)
            if (r.requests[q].event_indexes[e] < count) requests[r.requests[q].event_indexes[e]].push_back(&r.requests[q]);
    for (size_t e = 0; e < r.error_count; ++e)
        if (r.errors[e].event_index < count) errors[r.errors[e].event_index] = &r.errors[e];
    for (size_t i = 0; i < count; ++i) {
        out += "{\"index\":" + std::to_string(first_index + i);
        if (errors[i] != nullptr) {
            append_error_fields(out, errors[i]->status, text(errors[i]->message));
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

// One line per request (in sending order), then one per failed event.
void write_router_lines(const sy_transform_result &r, size_t batch, size_t first_index, std::string &out) {
    const std::string prefix = "{\"batch\":" + std::to_string(batch) + ",\"indexes\":[";
    for (size_t q = 0; q < r.request_count; ++q) {
        const sy_request &request = r.requests[q];
        out += prefix;
        for (size_t e = 0; e < request.event_count; ++e)
            out += (e > 0 ? "," : "") + std::to_string(first_index + request.event_indexes[e]);
        out += "],\"status\":200,\"requests\":[";
        append_request_json(out, request);
        out += "]}\n";
    }
    for (size_t e = 0; e < r.error_count; ++e) {
        out += prefix + std::to_string(first_index + r.errors[e].event_index) + "]";
        append_error_fields(out, r.errors[e].status, text(r.errors[e].message));
    }
}

// When the plugin produced no result at all, every event of the call gets an error line.
void write_plugin_failure(bool router, size_t batch, size_t first_index, size_t count, std::string &out) {
    for (size_t i = 0; i < count; ++i) {
        out += router ? "{\"batch\":" + std::to_string(batch) + ",\"indexes\":[" + std::to_string(first_index + i) + "]"
                      : "{\"index\":" + std::to_string(first_index + i);
        append_error_fields(out, 500, "the plugin returned no result");
    }
}

int run_transform(const Args &args) {
    auto opened = open_destination(args);
    if (!opened) return kExitUsage;
    const bool router = opened->router_mode;
    bool any_failed = false;
    std::string out;
    for_each_event_batch(opened->batch_size, [&](const EventBatch &batch) {
        const TransformResult result = opened->destination->transform(batch.events, router ? SY_BATCH_ALLOWED : SY_BATCH_NONE);
        out.clear();
        if (!result)
            write_plugin_failure(router, batch.number, batch.first_index, batch.events.size(), out);
        else if (router)
            write_router_lines(*result, batch.number, batch.first_index, out);
        else
            write_processor_lines(*result, batch.first_index, batch.events.size(), out);
        any_failed = any_failed || !result || result->error_count > 0;
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
