// Reading an event's type, name and consent for the delivery decision. Consent as rudder-server
// reads it (processor/consent.go, getConsentManagementInfo): `context.consentManagement` when it
// is an object; a value of the wrong type counts as absent; empty denied ids are dropped.
#include "host/ingest/event_facts.h"

namespace switchyard::ingest {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::optional<element> member(object container, std::string_view key) {
    element value;
    if (container.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
}

std::string string_or_empty(const std::optional<element> &value) {
    return value && value->is_string() ? std::string(value->get_string().value_unsafe()) : std::string();
}

// The merged context's `consentManagement`: the event's own key wins over the batch's.
std::optional<element> consent_management(const std::optional<element> &context, const BatchDefaults *batch) {
    if (context && context->is_object())
        if (auto own = member(context->get_object().value_unsafe(), "consentManagement")) return own;
    if (batch != nullptr && batch->context) return member(*batch->context, "consentManagement");
    return std::nullopt;
}

filtering::ConsentFacts consent_facts(const std::optional<element> &consent) {
    filtering::ConsentFacts facts;
    if (!consent || !consent->is_object()) return facts;
    const object info = consent->get_object().value_unsafe();
    facts.provider = string_or_empty(member(info, "provider"));
    facts.resolution_strategy = string_or_empty(member(info, "resolutionStrategy"));
    const std::optional<element> denied = member(info, "deniedConsentIds");
    if (!denied || !denied->is_array()) return facts;
    const simdjson::dom::array ids = denied->get_array().value_unsafe();
    for (const element id : ids)
        if (id.is_string() && !id.get_string().value_unsafe().empty())
            facts.denied.emplace_back(id.get_string().value_unsafe());
    return facts;
}

}  // namespace

filtering::EventFacts event_facts(std::string_view type, object event, const std::optional<element> &context,
                                  const BatchDefaults *batch) {
    filtering::EventFacts facts;
    facts.type = std::string(type);
    if (type == "track") facts.event_name = string_or_empty(member(event, "event"));
    facts.consent = consent_facts(consent_management(context, batch));
    return facts;
}

}  // namespace switchyard::ingest
