// The per-event rules of the ingestion API (see normalize.h for the contract).
#include "host/ingest/normalize.h"

#include <array>

#include "host/ingest/dom_json.h"
#include "host/ingest/event_facts.h"
#include "host/ingest/message_id.h"
#include "host/ingest/prebuilt_request.h"
#include "host/ingest/timestamp.h"
#include "host/json/json_text.h"

namespace switchyard::ingest {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;
using Member = std::optional<element>;

constexpr size_t kMaxQuotedChars = 64;  // client text quoted in an error stays short

constexpr std::array<std::string_view, 6> kEventTypes = {"identify", "track", "page", "screen", "group", "alias"};

// The members normalisation reads or rewrites; every other member is copied through untouched.
struct Members {
    Member user_id, anonymous_id, type, message_id, sent_at, original_timestamp, timestamp, request_ip, context,
        integrations;
};

Members find_members(object event) {
    Members m;
    for (const simdjson::dom::key_value_pair field : event) {
        const std::string_view key = field.key;
        if (key == "userId") m.user_id = field.value;
        else if (key == "anonymousId") m.anonymous_id = field.value;
        else if (key == "type") m.type = field.value;
        else if (key == "messageId") m.message_id = field.value;
        else if (key == "sentAt") m.sent_at = field.value;
        else if (key == "originalTimestamp") m.original_timestamp = field.value;
        else if (key == "timestamp") m.timestamp = field.value;
        else if (key == "request_ip") m.request_ip = field.value;
        else if (key == "context") m.context = field.value;
        else if (key == "integrations") m.integrations = field.value;
    }
    return m;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view kBlank = " \t\r\n";
    const size_t first = text.find_first_not_of(kBlank);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
}

// An identifier as the per-user key: a non-blank string, or a number's JSON text; empty when
// absent or null. Other JSON types are refused through `error`.
std::string identifier(const Member &value, std::string_view name, std::string &error) {
    if (!value || value->is_null()) return {};
    if (value->is_string()) return std::string(trim(value->get_string().value_unsafe()));
    if (value->is_number()) return scalar_text(*value);
    error = "\"" + std::string(name) + "\" must be a string or a number";
    return {};
}

// The per-user order key: userId, else anonymousId.
std::string user_key(std::string user_id, std::string anonymous_id) {
    return user_id.empty() ? std::move(anonymous_id) : std::move(user_id);
}

std::optional<int64_t> parsed_time(const Member &value) {
    if (!value || !value->is_string()) return std::nullopt;
    return parse_iso8601_ms(value->get_string().value_unsafe());
}

// The event's type, or an error sentence.
std::string_view event_type(const Members &m, const EventContext &context, std::string &error) {
    if (!context.path_type.empty()) return context.path_type;
    if (!m.type || !m.type->is_string()) {
        error = "\"type\" is missing or not a string";
        return {};
    }
    const std::string_view type = m.type->get_string().value_unsafe();
    if (!is_event_type(type))
        error = "\"type\" must be identify, track, page, screen, group or alias, not \"" +
                std::string(type.substr(0, kMaxQuotedChars)) + "\"";
    return type;
}

struct Times {
    int64_t timestamp_ms = 0;
    bool client_timestamp_becomes_original = false;  // Segment: the given timestamp moves to originalTimestamp
};

Times event_times(const Members &m, const Member &sent_at, int64_t received_at_ms) {
    const std::optional<int64_t> sent = parsed_time(sent_at);
    const std::optional<int64_t> original = parsed_time(m.original_timestamp);
    const std::optional<int64_t> given = parsed_time(m.timestamp);
    if (original && sent && !given) return {received_at_ms - (*sent - *original), false};
    if (given && sent && !m.original_timestamp) return {received_at_ms - (*sent - *given), true};
    if (given) return {*given, false};
    if (original) return {*original, false};
    return {received_at_ms, false};
}

bool has_key(object container, std::string_view key) {
    for (const simdjson::dom::key_value_pair field : container)
        if (field.key == key) return true;
    return false;
}

// `own` (the event's member, may be absent or not an object) with the `defaults` keys it lacks.
void append_merged(std::string &out, const Member &own, object defaults) {
    if (!own || !own->is_object()) return append_json(out, defaults);
    const object mine = own->get_object().value_unsafe();
    append_json(out, mine);
    out.pop_back();  // reopen the object to add the defaults it lacks
    bool empty = mine.size() == 0;
    for (const simdjson::dom::key_value_pair field : defaults) {
        if (has_key(mine, field.key)) continue;
        if (!empty) out += ',';
        empty = false;
        json::append_string(out, field.key);
        out += ':';
        append_json(out, field.value);
    }
    out += '}';
}

void append_key(std::string &out, std::string_view key) {
    out += ',';
    json::append_string(out, key);
    out += ':';
}

// Members the host writes itself (or merges) are left out of the copy.
bool rewritten(std::string_view key, const BatchDefaults *batch) {
    if (key == "type" || key == "messageId" || key == "receivedAt" || key == "timestamp" || key == "writeKey")
        return true;
    if (batch == nullptr) return false;
    return (key == "context" && batch->context) || (key == "integrations" && batch->integrations);
}

// After the host's own members, so every copied member starts with a comma.
void copy_members(std::string &out, object event, const BatchDefaults *batch) {
    for (const simdjson::dom::key_value_pair field : event) {
        if (rewritten(field.key, batch)) continue;
        append_key(out, field.key);
        append_json(out, field.value);
    }
}

void append_message_id(std::string &out, const Member &given) {
    const bool keep = given && given->is_string() && !trim(given->get_string().value_unsafe()).empty();
    if (keep) return json::append_string(out, given->get_string().value_unsafe());
    json::append_string(out, new_message_id());
}

// Opens the object with the members the host decides: `{"type":...,"messageId":...`.
void append_host_members(std::string &out, const Members &m, std::string_view type, const EventContext &context) {
    const BatchDefaults *batch = context.batch;
    out += "{\"type\":";
    json::append_string(out, type);
    append_key(out, "messageId");
    append_message_id(out, m.message_id);
    append_key(out, "receivedAt");
    json::append_string(out, format_iso8601_ms(context.received_at_ms));
    const Member sent_at = m.sent_at ? m.sent_at : (batch != nullptr ? batch->sent_at : std::nullopt);
    const Times times = event_times(m, sent_at, context.received_at_ms);
    append_key(out, "timestamp");
    json::append_string(out, format_iso8601_ms(times.timestamp_ms));
    if (times.client_timestamp_becomes_original) {
        append_key(out, "originalTimestamp");
        append_json(out, *m.timestamp);
    }
    if (!m.sent_at && sent_at) {
        append_key(out, "sentAt");
        append_json(out, *sent_at);
    }
    if (!m.request_ip) {
        append_key(out, "request_ip");
        json::append_string(out, context.client_ip);
    }
    if (batch != nullptr && batch->context) {
        append_key(out, "context");
        append_merged(out, m.context, *batch->context);
    }
    if (batch != nullptr && batch->integrations) {
        append_key(out, "integrations");
        append_merged(out, m.integrations, *batch->integrations);
    }
}

}  // namespace

bool is_event_type(std::string_view type) {
    for (std::string_view known : kEventTypes)
        if (type == known) return true;
    return false;
}

NormalizeOutcome normalize_event(element event, const EventContext &context) {
    NormalizeOutcome outcome;
    if (!event.is_object()) {
        outcome.error = "it is not a JSON object";
        return outcome;
    }
    const object members_of_event = event.get_object().value_unsafe();
    const Members m = find_members(members_of_event);
    const std::string_view type = event_type(m, context, outcome.error);
    std::string user_id = identifier(m.user_id, "userId", outcome.error);
    std::string anonymous_id = identifier(m.anonymous_id, "anonymousId", outcome.error);
    if (outcome.error.empty() && user_id.empty() && anonymous_id.empty())
        outcome.error = "it has neither a \"userId\" nor an \"anonymousId\"";
    if (outcome.error.empty() && !context.accept_prebuilt && is_prebuilt_request(members_of_event))
        outcome.error = "it has a top-level \"statusCode\", the mark of a request already built for a destination, "
                        "which only a source marked \"trusted\" may send";
    if (!outcome.error.empty()) return outcome;

    std::string &out = outcome.event.payload;
    out.reserve(1024);
    append_host_members(out, m, type, context);
    copy_members(out, members_of_event, context.batch);
    out += '}';
    outcome.event.facts = event_facts(type, members_of_event, m.context, context.batch);
    outcome.event.facts.user_id = user_id;
    outcome.event.user_key = user_key(std::move(user_id), std::move(anonymous_id));
    return outcome;
}

NormalizeOutcome normalize_event_text(std::string_view json, const EventContext &context) {
    simdjson::dom::parser parser;
    element event;
    if (parser.parse(json.data(), json.size()).get(event) != simdjson::SUCCESS) {
        NormalizeOutcome outcome;
        outcome.error = "it is not valid JSON";
        return outcome;
    }
    return normalize_event(event, context);
}

std::string user_key_of_text(std::string_view json) {
    thread_local simdjson::dom::parser parser;
    object event;
    if (parser.parse(json.data(), json.size()).get(event) != simdjson::SUCCESS) return {};
    const Members m = find_members(event);
    std::string error;  // an identifier of the wrong type counts as absent here
    return user_key(identifier(m.user_id, "userId", error), identifier(m.anonymous_id, "anonymousId", error));
}

}  // namespace switchyard::ingest
