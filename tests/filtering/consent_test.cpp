// Every consent rule of rudder-server's processor/consent.go as a table of cases
// (docs/consent-and-filtering.md lists them).
#include <gtest/gtest.h>

#include "host/filtering/consent.h"

namespace switchyard::filtering {
namespace {

struct ConsentCase {
    const char *name;  // cppcheck-suppress unusedStructMember ; the test's name, read through GetParam()
    ConsentSettings settings;
    ConsentFacts event;
    bool delivered;
};

using P = ProviderConsents;

ConsentSettings one_trust(std::vector<std::string> ids) { return {std::move(ids), {}, {}}; }
ConsentSettings ketch(std::vector<std::string> ids) { return {{}, std::move(ids), {}}; }
ConsentSettings gcm(std::string provider, P entry, std::vector<std::string> one_trust_ids = {},
                    std::vector<std::string> ketch_ids = {}) {
    return {std::move(one_trust_ids), std::move(ketch_ids), {{std::move(provider), std::move(entry)}}};
}

const ConsentCase kCases[] = {
    // Nothing denied: every destination gets the event, whatever it needs.
    {"no_denied_ids", one_trust({"C1"}), {{}, "", ""}, true},
    {"no_denied_ids_gcm", gcm("oneTrust", P{"", {"C1"}}), {{}, "oneTrust", "and"}, true},
    // A destination that needs no consent gets everything.
    {"destination_needs_nothing", {}, {{"C1"}, "", ""}, true},
    // OneTrust (legacy): any needed category denied → not delivered.
    {"one_trust_one_of_two_denied", one_trust({"C1", "C2"}), {{"C2"}, "", ""}, false},
    {"one_trust_none_denied", one_trust({"C1", "C2"}), {{"C3"}, "", ""}, true},
    {"one_trust_provider_named", one_trust({"C1"}), {{"C1"}, "oneTrust", ""}, false},
    {"one_trust_ignored_for_ketch_provider", one_trust({"C1"}), {{"C1"}, "ketch", ""}, true},
    {"one_trust_ignored_for_other_provider", one_trust({"C1"}), {{"C1"}, "custom", ""}, true},
    {"one_trust_exact_case", one_trust({"C1"}), {{"c1"}, "", ""}, true},
    // Ketch (legacy): not delivered only when every needed purpose is denied.
    {"ketch_one_of_two_denied", ketch({"P1", "P2"}), {{"P1"}, "", ""}, true},
    {"ketch_all_denied", ketch({"P1", "P2"}), {{"P1", "P2", "P3"}, "", ""}, false},
    {"ketch_provider_named", ketch({"P1"}), {{"P1"}, "ketch", ""}, false},
    {"ketch_ignored_for_one_trust_provider", ketch({"P1"}), {{"P1"}, "oneTrust", ""}, true},
    // Both legacy lists and no provider: OneTrust decides alone.
    {"one_trust_wins_over_ketch", {{"C1"}, {"P1"}, {}}, {{"P1"}, "", ""}, true},
    {"ketch_when_one_trust_empty", {{}, {"P1"}, {}}, {{"P1"}, "", ""}, false},
    // Generic consent management, provider from the event, strategy from the event.
    {"gcm_and_one_denied", gcm("oneTrust", P{"or", {"C1", "C2"}}), {{"C1"}, "oneTrust", "and"}, false},
    {"gcm_default_strategy_is_and", gcm("oneTrust", P{"", {"C1", "C2"}}), {{"C1"}, "oneTrust", ""}, false},
    {"gcm_unknown_strategy_is_and", gcm("oneTrust", P{"", {"C1", "C2"}}), {{"C1"}, "oneTrust", "xor"}, false},
    {"gcm_or_one_denied", gcm("oneTrust", P{"and", {"C1", "C2"}}), {{"C1"}, "oneTrust", "or"}, true},
    {"gcm_or_all_denied", gcm("oneTrust", P{"and", {"C1", "C2"}}), {{"C2", "C1"}, "oneTrust", "or"}, false},
    {"gcm_and_none_denied", gcm("ketch", P{"", {"P1"}}), {{"P2"}, "ketch", "and"}, true},
    // Provider "custom": the strategy is the destination's, never the event's.
    {"custom_destination_or", gcm("custom", P{"or", {"X", "Y"}}), {{"X"}, "custom", "and"}, true},
    {"custom_destination_and", gcm("custom", P{"and", {"X", "Y"}}), {{"X"}, "custom", "or"}, false},
    {"custom_destination_unset_is_and", gcm("custom", P{"", {"X", "Y"}}), {{"Y"}, "custom", "or"}, false},
    // GCM for the event's provider replaces the legacy lists.
    {"gcm_replaces_one_trust", gcm("oneTrust", P{"", {"C2"}}, {"C1"}), {{"C1"}, "oneTrust", "and"}, true},
    // No GCM entry for the event's provider: the legacy rules for that provider apply.
    {"gcm_other_provider_falls_back", gcm("ketch", P{"", {"P1"}}, {"C1"}), {{"C1"}, "oneTrust", ""}, false},
    {"gcm_no_provider_in_event_uses_legacy", gcm("oneTrust", P{"", {"C9"}}, {"C1"}), {{"C1"}, "", ""}, false},
    {"gcm_unknown_provider_delivers", gcm("oneTrust", P{"", {"C1"}}), {{"C1"}, "iubenda", ""}, true},
};

class Consent : public ::testing::TestWithParam<ConsentCase> {};

TEST_P(Consent, DecidesAsRudderServer) {
    const ConsentCase &c = GetParam();
    EXPECT_EQ(consent_allows(c.settings, c.event), c.delivered);
}

INSTANTIATE_TEST_SUITE_P(Rules, Consent, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return std::string(info.param.name); });

}  // namespace
}  // namespace switchyard::filtering
