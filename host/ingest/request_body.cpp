// Request-level rules: body shape, batch defaults, event count and size limits.
#include "host/ingest/request_body.h"

#include <cstdint>

#include "host/ingest/shape_limits.h"

namespace switchyard::ingest {
namespace {

std::optional<simdjson::dom::element> member(simdjson::dom::object object, std::string_view key) {
    simdjson::dom::element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
}

std::optional<simdjson::dom::object> object_member(simdjson::dom::object object, std::string_view key) {
    const auto value = member(object, key);
    if (!value || !value->is_object()) return std::nullopt;
    return value->get_object().value_unsafe();
}

BodyOutcome refusal(int status, std::string error) {
    BodyOutcome outcome;
    outcome.status = status;
    outcome.error = std::move(error);
    return outcome;
}

constexpr size_t kNotInBatch = SIZE_MAX;

std::string subject(size_t batch_index) {
    return batch_index == kNotInBatch ? "The event" : "Batch item " + std::to_string(batch_index);
}

ShapeLimits shape_limits(const IngestLimits &limits, size_t levels_above_event = 0) {
    return {limits.max_nesting_depth - std::min(levels_above_event, limits.max_nesting_depth), limits.max_string_bytes};
}

// Turns `outcome` into the request's refusal when `value` breaks a shape limit.
bool within_shape_limits(BodyOutcome &outcome, simdjson::dom::element value, const ShapeLimits &limits,
                         std::string_view subject) {
    const std::string problem = shape_problem(value, limits);
    if (problem.empty()) return true;
    outcome = refusal(400, std::string(subject) + " was refused because " + problem + ".");
    return false;
}

// Adds one normalised event, or turns `outcome` into the request's refusal.
bool accept(BodyOutcome &outcome, NormalizeOutcome normalized, size_t batch_index, const IngestLimits &limits) {
    if (!normalized.error.empty()) {
        outcome = refusal(400, subject(batch_index) + " was refused because " + normalized.error + ".");
        return false;
    }
    if (normalized.event.payload.size() > limits.max_event_bytes) {
        outcome = refusal(413, subject(batch_index) + " is " + std::to_string(normalized.event.payload.size()) +
                                   " bytes, more than the limit of " + std::to_string(limits.max_event_bytes) + ".");
        return false;
    }
    outcome.events.push_back(std::move(normalized.event));
    return true;
}

}  // namespace

bool RequestBody::parse(std::string &body) {
    parsed_ = false;
    simdjson::dom::element root;
    if (const auto code = parser_.parse(body).get(root); code != simdjson::SUCCESS) {
        error_ = std::string("The body is not valid JSON (") + simdjson::error_message(code) + ").";
        return false;
    }
    if (!root.is_object()) {
        error_ = "The body must be a JSON object.";
        return false;
    }
    root_element_ = root;
    root_ = root.get_object().value_unsafe();
    parsed_ = true;
    return true;
}

std::optional<std::string_view> RequestBody::write_key() const {
    if (!parsed_) return std::nullopt;  // root_ points at no document
    const auto value = member(root_, "writeKey");
    if (!value || !value->is_string()) return std::nullopt;
    return value->get_string().value_unsafe();
}

BodyOutcome RequestBody::normalize(std::string_view path_type, int64_t received_at_ms, std::string_view client_ip,
                                   const IngestLimits &limits, bool accept_prebuilt) const {
    if (!parsed_) return refusal(400, error_.empty() ? "The body has not been parsed." : error_);
    EventContext context{path_type, received_at_ms, client_ip, nullptr, accept_prebuilt};
    if (path_type.empty()) return normalize_batch(context, limits);
    BodyOutcome outcome;
    if (within_shape_limits(outcome, root_element_, shape_limits(limits), subject(kNotInBatch)))
        accept(outcome, normalize_event(root_element_, context), kNotInBatch, limits);
    return outcome;
}

BodyOutcome RequestBody::normalize_batch(EventContext &context, const IngestLimits &limits) const {
    const auto items = member(root_, "batch");
    if (!items || !items->is_array()) return refusal(400, "The body has no \"batch\" array.");
    const simdjson::dom::array batch = items->get_array().value_unsafe();
    const size_t count = batch.size();
    if (count == 0) return refusal(400, "The \"batch\" array is empty.");
    if (count > limits.max_batch_events)
        return refusal(413, "The batch has " + std::to_string(count) + " events, more than the limit of " +
                                std::to_string(limits.max_batch_events) + ".");
    const BatchDefaults defaults{member(root_, "sentAt"), object_member(root_, "context"),
                                 object_member(root_, "integrations")};
    BodyOutcome outcome;
    // The batch's context and integrations are merged into each event, one level down.
    for (const std::string_view name : {"context", "integrations"}) {
        const auto merged = member(root_, name);
        if (merged && merged->is_object() &&
            !within_shape_limits(outcome, *merged, shape_limits(limits, 1), "The batch's \"" + std::string(name) + "\""))
            return outcome;
    }
    context.batch = &defaults;
    outcome.events.reserve(count);
    size_t index = 0;
    for (const simdjson::dom::element item : batch) {
        if (!within_shape_limits(outcome, item, shape_limits(limits), subject(index)) ||
            !accept(outcome, normalize_event(item, context), index, limits))
            return outcome;
        ++index;
    }
    return outcome;
}

}  // namespace switchyard::ingest
