// What transform() and send() returned, read by the ABI's growth rules into host-sized copies
// (abi_read.h), with the events the host skipped itself for their message type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/plugin.h"

namespace switchyard {

// Spans point into the plugin's result (held until released) or, when it must be copied (another
// minor's element size; events the host skipped, which shift indexes), into the owned vectors:
// move-only, so that they always point into this object's own.
struct RequestRead {
    const sy_request *as_made = nullptr;     // the plugin's own struct, when in this process
    sy_request fields{};                     // host-sized copy; its pointers still point into the plugin's result
    std::span<const sy_header> headers;      // host-sized
    std::span<const uint32_t> event_indexes; // positions in the caller's events
    std::vector<sy_header> owned_headers;
    std::vector<uint32_t> owned_indexes;

    RequestRead() = default;
    RequestRead(RequestRead &&) = default;
    RequestRead &operator=(RequestRead &&) = default;
    RequestRead(const RequestRead &) = delete;
    RequestRead &operator=(const RequestRead &) = delete;
    // A request the host builds itself (tests, the send command): owns its indexes.
    explicit RequestRead(std::vector<uint32_t> indexes) : owned_indexes(std::move(indexes)) {
        event_indexes = owned_indexes;
    }
    // What send() gets back: the plugin's own struct, else the host-sized copy (a worker's answer).
    const sy_request &to_send() const { return as_made != nullptr ? *as_made : fields; }
};

struct EventErrorRead {
    uint32_t event_index = 0;  // position in the caller's events
    sy_outcome outcome = SY_ABORT;
    uint32_t status = 0;
    std::string message;
    bool skipped_by_host = false;  // its message type is not among the destination's: never passed to the plugin
};

struct TransformRead {
    std::vector<RequestRead> requests;  // in sending order
    std::vector<EventErrorRead> errors;
};

struct SendRead {
    sy_send_result fields{};
    std::vector<sy_event_outcome> events;  // empty, or one per event of the request
};

// Reads `raw`, the plugin's answer for the events at `positions` of the caller's `caller_count`
// events, into `out` (appending), mapping event indexes back to the caller's. Returns why the
// result is unusable, or empty.
std::string read_transform_result(const sy_transform_result &raw, std::span<const uint32_t> positions,
                                  size_t caller_count, TransformRead &out);

std::string read_send_result(const sy_send_result &raw, SendRead &out);

// Whether the request declares a JSON body: its Content-Type header names json. Tools embed such
// a body as JSON as is (no second parse on their hot paths), anything else as a string.
bool declares_json_body(const RequestRead &request);

// Whether a result's struct_size covers `owner`, so the host can hand it back to release().
template <class Result>
bool owner_readable(const Result &raw) {
    return raw.struct_size >= offsetof(Result, owner) + sizeof(raw.owner);
}

}  // namespace switchyard
