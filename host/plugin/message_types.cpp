// Reading an event's type cheaply (simdjson on demand, only the top-level "type" member).
#include "host/plugin/message_types.h"

#include <strings.h>

#include <algorithm>

#include <simdjson.h>

namespace switchyard {

MessageTypes::MessageTypes(const char *const *declared) {
    if (declared == nullptr) return;
    declared_.emplace();
    for (const char *const *type = declared; *type != nullptr; ++type) declared_->emplace_back(*type);
}

std::optional<std::string> MessageTypes::refused_type(std::string_view event_json) const {
    if (!declared_) return std::nullopt;
    thread_local simdjson::ondemand::parser parser;
    const simdjson::padded_string padded(event_json);
    simdjson::ondemand::document doc;
    std::string_view type;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return std::nullopt;
    simdjson::ondemand::object object;
    if (doc.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
    if (object.find_field_unordered("type").get_string().get(type) != simdjson::SUCCESS) return std::nullopt;
    // RudderStack reads types case-insensitively ("Track" is a track call).
    const auto same = [&](const std::string &declared) {
        return declared.size() == type.size() && strncasecmp(declared.data(), type.data(), type.size()) == 0;
    };
    if (std::any_of(declared_->begin(), declared_->end(), same)) return std::nullopt;
    // A pre-built request (a trusted source's, host/ingest/prebuilt_request.h) is no message: its
    // "type" is the request's ("REST"), and the plugin decides.
    if (object.find_field_unordered("statusCode").error() != simdjson::NO_SUCH_FIELD) return std::nullopt;
    return std::string(type);
}

Admission admit(const MessageTypes &types, std::span<const sy_borrowed_str> events) {
    Admission out;
    out.events.reserve(events.size());
    out.positions.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        const std::string_view json(events[i].ptr != nullptr ? events[i].ptr : "", events[i].len);
        if (std::optional<std::string> type = types.refused_type(json)) {
            out.skipped.push_back({static_cast<uint32_t>(i), SY_SKIPPED, 0,
                                   "message type \"" + *type + "\" is not supported by this destination", true});
            continue;
        }
        out.events.push_back(events[i]);
        out.positions.push_back(static_cast<uint32_t>(i));
    }
    return out;
}

}  // namespace switchyard
