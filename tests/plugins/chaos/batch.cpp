// Events → chaos requests (batch.h).
#include "batch.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace chaos {
namespace {

constexpr uint32_t kBadRequest = 400;

sy::Request empty_request(const Settings &settings) {
    sy::Request request;
    request.kind = kRequestKind;
    request.method = "POST";
    request.url = settings.url;
    request.headers.push_back({"Content-Type", "application/json"});
    return request;
}

std::string body_of(const std::vector<std::string_view> &texts) {
    if (texts.size() == 1) return std::string(texts.front());
    std::string body = "[";
    for (size_t i = 0; i < texts.size(); ++i) (body += i == 0 ? "" : ",") += texts[i];
    return body + "]";
}

}  // namespace

std::string event_name(const nlohmann::json &event) {
    const auto name = event.find("event");
    return name != event.end() && name->is_string() ? name->get<std::string>() : "";
}

std::unique_ptr<sy::TransformOutput> build_requests(const Settings &settings, const sy_borrowed_str *events,
                                                    size_t count, uint32_t max_events_per_request) {
    auto out = std::make_unique<sy::TransformOutput>();
    const uint32_t capacity = std::clamp<uint32_t>(max_events_per_request, 1, kMaxEventsPerRequest);
    sy::Request request = empty_request(settings);
    std::vector<std::string_view> texts;  // borrowed from the call's events
    auto flush = [&] {
        if (texts.empty()) return;
        request.body = body_of(texts);
        out->add(std::exchange(request, empty_request(settings)));
        texts.clear();
    };
    for (uint32_t i = 0; i < count; ++i) {
        const std::string_view text = sy::view(events[i]);
        const nlohmann::json event = nlohmann::json::parse(text, nullptr, false);
        if (!event.is_object()) {
            out->add_error(i, SY_ABORT, kBadRequest, "Event is not a JSON object.");
            continue;
        }
        if (const std::string name = event_name(event); !name.empty())
            set_off(fault_for(settings, name, Stage::transform));
        texts.push_back(text);
        request.event_indexes.push_back(i);
        if (texts.size() == capacity) flush();
    }
    flush();
    return out;
}

}  // namespace chaos
