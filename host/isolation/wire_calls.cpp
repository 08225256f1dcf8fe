// Encoding each field of the ABI's results in order; the host-sized structs are rebuilt around
// views into the message.
#include "host/isolation/wire_calls.h"

namespace switchyard::wire {
namespace {

void put(Writer &out, sy_str_view v) { out.put(std::string_view(v.ptr != nullptr ? v.ptr : "", v.len)); }

sy_str_view get_str(Reader &in) {
    const std::string_view bytes = in.bytes();
    return {bytes.data(), bytes.size()};
}

}  // namespace

void put_effects(Writer &out, const std::vector<Effect> &effects) {
    out.put(static_cast<uint64_t>(effects.size()));
    for (const Effect &e : effects) {
        out.put(e.kind);
        out.put(e.level);
        out.put(std::string_view(e.text));
        out.put(e.delta);
        out.put(e.value);
    }
}

std::vector<Effect> get_effects(Reader &in) {
    std::vector<Effect> effects(in.count(1));
    for (Effect &e : effects) {
        e.kind = in.get<Effect::Kind>();
        e.level = in.get<sy_log_level>();
        e.text = in.bytes();
        e.delta = in.get<uint64_t>();
        e.value = in.get<double>();
    }
    return effects;
}

void put_request(Writer &out, const sy_request &request) {
    put(out, request.kind);
    put(out, request.method);
    put(out, request.url);
    put(out, request.body);
    put(out, request.rate_key);
    // The host reads a plugin's headers with its own stride; a host-built request has host-sized ones.
    const auto *bytes = reinterpret_cast<const unsigned char *>(request.headers);
    const size_t stride = request.header_count > 0 ? request.headers->struct_size : 0;
    out.put(static_cast<uint64_t>(request.header_count));
    for (size_t h = 0; h < request.header_count; ++h) {
        const auto *header = reinterpret_cast<const sy_header *>(bytes + h * stride);
        put(out, header->name);
        put(out, header->value);
    }
    out.put(static_cast<uint64_t>(request.event_count));
    for (size_t e = 0; e < request.event_count; ++e) out.put(request.event_indexes[e]);
}

void get_request(Reader &in, RequestRead &read) {
    sy_request &r = read.fields;
    r = {};
    r.struct_size = sizeof(sy_request);
    r.kind = get_str(in);
    r.method = get_str(in);
    r.url = get_str(in);
    r.body = get_str(in);
    r.rate_key = get_str(in);
    read.owned_headers.resize(in.count(2 * sizeof(uint64_t)));
    for (sy_header &header : read.owned_headers) {
        header.struct_size = sizeof(sy_header);
        header.name = get_str(in);
        header.value = get_str(in);
    }
    read.owned_indexes.resize(in.count(sizeof(uint32_t)));
    for (uint32_t &index : read.owned_indexes) index = in.get<uint32_t>();
    r.headers = read.owned_headers.data();
    r.header_count = read.owned_headers.size();
    r.event_indexes = read.owned_indexes.data();
    r.event_count = read.owned_indexes.size();
    read.headers = read.owned_headers;
    read.event_indexes = read.owned_indexes;
}

void put_transform(Writer &out, const TransformRead &result) {
    out.put(static_cast<uint64_t>(result.requests.size()));
    for (const RequestRead &request : result.requests) {
        sy_request fields = request.fields;  // the host-sized headers and caller's indexes, not the plugin's
        fields.headers = request.headers.data();
        fields.header_count = request.headers.size();
        fields.event_indexes = request.event_indexes.data();
        fields.event_count = request.event_indexes.size();
        put_request(out, fields);
    }
    out.put(static_cast<uint64_t>(result.errors.size()));
    for (const EventErrorRead &e : result.errors) {
        out.put(e.event_index);
        out.put(e.outcome);
        out.put(e.status);
        out.put(std::string_view(e.message));
        out.put(static_cast<uint8_t>(e.skipped_by_host));
    }
}

TransformRead get_transform(Reader &in) {
    TransformRead result;
    result.requests.resize(in.count(5 * sizeof(uint64_t)));
    for (RequestRead &request : result.requests) get_request(in, request);
    result.errors.resize(in.count(sizeof(uint32_t)));
    for (EventErrorRead &e : result.errors) {
        e.event_index = in.get<uint32_t>();
        e.outcome = in.get<sy_outcome>();
        e.status = in.get<uint32_t>();
        e.message = in.bytes();
        e.skipped_by_host = in.get<uint8_t>() != 0;
    }
    return result;
}

void put_send(Writer &out, const SendRead &result) {
    out.put(result.fields.outcome);
    out.put(result.fields.http_status);
    out.put(result.fields.retry_after_ms);
    put(out, result.fields.message);
    out.put(static_cast<uint64_t>(result.events.size()));
    for (const sy_event_outcome &e : result.events) {
        out.put(e.outcome);
        out.put(e.status);
        put(out, e.message);
    }
}

SendRead get_send(Reader &in) {
    SendRead result;
    result.fields.struct_size = sizeof(sy_send_result);
    result.fields.outcome = in.get<sy_outcome>();
    result.fields.http_status = in.get<uint32_t>();
    result.fields.retry_after_ms = in.get<uint32_t>();
    result.fields.message = get_str(in);
    result.events.resize(in.count(sizeof(uint32_t)));
    for (sy_event_outcome &e : result.events) {
        e.struct_size = sizeof(sy_event_outcome);
        e.outcome = in.get<sy_outcome>();
        e.status = in.get<uint32_t>();
        e.message = get_str(in);
    }
    result.fields.events = result.events.data();
    result.fields.event_count = result.events.size();
    return result;
}

void put_rate_limits(Writer &out, const std::vector<sy_rate_limit> &limits) {
    out.put(static_cast<uint64_t>(limits.size()));
    for (const sy_rate_limit &limit : limits) {
        put(out, limit.rate_key);
        out.put(limit.requests_per_second);
        out.put(limit.burst);
    }
}

std::vector<sy_rate_limit> get_rate_limits(Reader &in) {
    std::vector<sy_rate_limit> limits(in.count(sizeof(uint64_t)));
    for (sy_rate_limit &limit : limits) {
        limit.struct_size = sizeof(sy_rate_limit);
        limit.rate_key = get_str(in);
        limit.requests_per_second = in.get<double>();
        limit.burst = in.get<uint32_t>();
    }
    return limits;
}

}  // namespace switchyard::wire
