// Event filtering by name, every rule as a table of cases, and the order of the two decisions.
#include <gtest/gtest.h>

#include "host/filtering/delivery_filter.h"

namespace switchyard::filtering {
namespace {

struct NameCase {
    const char *name;  // cppcheck-suppress unusedStructMember ; the test's name, read through GetParam()
    EventFilter filter;
    const char *type;
    const char *event_name;
    bool delivered;
};

constexpr auto kWhite = EventFilterOption::whitelisted_events;
constexpr auto kBlack = EventFilterOption::blacklisted_events;
constexpr auto kOff = EventFilterOption::disable;

const NameCase kCases[] = {
    {"disabled_takes_everything", {kOff, {"A"}}, "track", "B", true},
    {"whitelist_listed", {kWhite, {"A", "B"}}, "track", "B", true},
    {"whitelist_not_listed", {kWhite, {"A"}}, "track", "B", false},
    {"whitelist_empty_takes_no_track", {kWhite, {}}, "track", "A", false},
    {"whitelist_unnamed_track", {kWhite, {"A"}}, "track", "", false},
    {"blacklist_listed", {kBlack, {"A"}}, "track", "A", false},
    {"blacklist_not_listed", {kBlack, {"A"}}, "track", "B", true},
    {"blacklist_empty_takes_everything", {kBlack, {}}, "track", "A", true},
    {"blacklist_unnamed_track", {kBlack, {"A"}}, "track", "", true},
    {"exact_case", {kBlack, {"Order Completed"}}, "track", "order completed", true},
    {"exact_spaces", {kBlack, {"Order Completed"}}, "track", "Order Completed ", true},
    {"whitelist_other_types_pass", {kWhite, {"A"}}, "identify", "", true},
    {"whitelist_page_named_like_nothing_passes", {kWhite, {"A"}}, "page", "B", true},
    {"blacklist_screen_passes", {kBlack, {"A"}}, "screen", "A", true},
};

class EventName : public ::testing::TestWithParam<NameCase> {};

TEST_P(EventName, FiltersTrackEventsByExactName) {
    const NameCase &c = GetParam();
    EXPECT_EQ(event_filter_allows(c.filter, c.type, c.event_name), c.delivered);
}

INSTANTIATE_TEST_SUITE_P(Rules, EventName, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(DeliveryDecision, ConsentIsDecidedBeforeTheName) {
    const DeliveryFilter filter{{kBlack, {"A"}}, {{"C1"}, {}, {}}};
    EXPECT_EQ(decide(filter, {"track", "A", {{"C1"}, "", ""}}), Verdict::consent);
    EXPECT_EQ(decide(filter, {"track", "A", {}}), Verdict::event_filter);
    EXPECT_EQ(decide(filter, {"track", "B", {}}), Verdict::deliver);
    EXPECT_EQ(reason_label(Verdict::consent), "consent");
    EXPECT_EQ(reason_label(Verdict::event_filter), "event_filter");
}

}  // namespace
}  // namespace switchyard::filtering
