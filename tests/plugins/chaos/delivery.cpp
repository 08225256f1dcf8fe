// One chaos request out, one outcome back (delivery.h).
#include "delivery.h"

#include <string>

#include <nlohmann/json.hpp>

#include "batch.h"
#include "switchyard/sdk/grading.h"

namespace chaos {
namespace {

// The first send fault named by an event the body carries (a JSON object or an array of them).
Fault send_fault(const Settings &settings, std::string_view body) {
    const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
    const nlohmann::json events = parsed.is_array() ? parsed : nlohmann::json::array({parsed});
    for (const nlohmann::json &event : events) {
        if (!event.is_object()) continue;
        if (const std::string name = event_name(event); !name.empty())
            if (const Fault fault = fault_for(settings, name, Stage::send); fault != Fault::none) return fault;
    }
    return Fault::none;
}

}  // namespace

std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &http, const Settings &settings,
                                        const sy_request &request) {
    set_off(send_fault(settings, sy::view(request.body)));
    const sy::sdk::HttpAnswer answer = http.perform(request);
    auto out = std::make_unique<sy::SendOutput>();
    sy::sdk::grade_status(answer, *out);
    if (out->outcome == SY_OK) return out;
    out->message = answer.status == 0 ? "The chaos receiver did not answer: " + answer.transport_error + "."
                                      : "The chaos receiver answered HTTP " + std::to_string(answer.status) + ".";
    return out;
}

}  // namespace chaos
