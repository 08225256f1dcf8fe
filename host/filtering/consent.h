// Consent: whether an event's user consented to what a destination needs (RudderStack's
// `oneTrustCookieCategories`, `ketchConsentPurposes` and generic `consentManagement` against the
// event's `context.consentManagement`). Rules: docs/consent-and-filtering.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::filtering {

// One `consentManagement` entry of a destination: the consent ids it needs from that provider.
struct ProviderConsents {
    std::string resolution_strategy;  // "and", "or" or empty (taken as "and"); used for provider "custom"
    std::vector<std::string> consents;  // non-empty
    bool operator==(const ProviderConsents &) const = default;
};

// A destination's consent settings, each list without empty ids.
struct ConsentSettings {
    std::vector<std::string> one_trust_categories;
    std::vector<std::string> ketch_purposes;
    std::map<std::string, ProviderConsents, std::less<>> providers;  // by provider; entries without consents left out
    bool operator==(const ConsentSettings &) const = default;
    bool empty() const { return one_trust_categories.empty() && ketch_purposes.empty() && providers.empty(); }
};

// What the event says of its user's consent (`context.consentManagement`); `allowedConsentIds`
// plays no part in the decision.
struct ConsentFacts {
    std::vector<std::string> denied;  // `deniedConsentIds`, non-empty strings only
    std::string provider;
    std::string resolution_strategy;
};

bool consent_allows(const ConsentSettings &settings, const ConsentFacts &facts);

}  // namespace switchyard::filtering
