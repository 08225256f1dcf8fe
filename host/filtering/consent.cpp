// Consent decision, rule for rule as rudder-server's processor
// (rudderlabs/rudder-server, processor/consent.go, getConsentFilteredDestinations).
#include "host/filtering/consent.h"

#include <algorithm>

namespace switchyard::filtering {
namespace {

bool contains(const std::vector<std::string> &list, std::string_view id) {
    return std::find(list.begin(), list.end(), id) != list.end();
}

// Some of `needed` is denied: the destination needs all of them.
bool any_denied(const std::vector<std::string> &needed, const std::vector<std::string> &denied) {
    return std::any_of(needed.begin(), needed.end(), [&](const std::string &id) { return contains(denied, id); });
}

// Every one of `needed` is denied: one consent would have been enough.
bool all_denied(const std::vector<std::string> &needed, const std::vector<std::string> &denied) {
    return std::all_of(needed.begin(), needed.end(), [&](const std::string &id) { return contains(denied, id); });
}

}  // namespace

bool consent_allows(const ConsentSettings &settings, const ConsentFacts &facts) {
    if (facts.denied.empty()) return true;
    if (auto entry = settings.providers.find(facts.provider); entry != settings.providers.end()) {
        const std::string &strategy =
            facts.provider == "custom" ? entry->second.resolution_strategy : facts.resolution_strategy;
        return strategy == "or" ? !all_denied(entry->second.consents, facts.denied)
                                : !any_denied(entry->second.consents, facts.denied);
    }
    const bool legacy_any = facts.provider.empty();
    if ((legacy_any || facts.provider == "oneTrust") && !settings.one_trust_categories.empty())
        return !any_denied(settings.one_trust_categories, facts.denied);
    if ((legacy_any || facts.provider == "ketch") && !settings.ketch_purposes.empty())
        return !all_denied(settings.ketch_purposes, facts.denied);
    return true;
}

}  // namespace switchyard::filtering
