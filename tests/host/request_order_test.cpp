// The order of a batch's requests: each waits for the earlier requests of its users, and a
// failure holds back exactly what waits for it, directly or not.
#include <gtest/gtest.h>

#include "host/delivery/request_order.h"

namespace switchyard {
namespace {

using State = RequestOrder::State;

// Requests as lists of event indexes; `users[i]` is event i's user.
struct Batch {
    std::vector<std::vector<uint32_t>> requests;
    std::vector<std::string_view> users;
    RequestOrder order() const {
        std::vector<std::span<const uint32_t>> events_of(requests.begin(), requests.end());
        return RequestOrder(events_of, users);
    }
};

TEST(RequestOrder, ARequestWaitsForTheLatestEarlierRequestOfEachOfItsUsers) {
    const Batch batch{{{0, 1}, {2}, {3}, {4, 5}, {6, 7}}, {"A", "B", "A", "C", "B", "C", "A", "A"}};
    const RequestOrder order = batch.order();
    EXPECT_TRUE(order.waits_for(0).empty());
    EXPECT_EQ(order.waits_for(1), (std::vector<size_t>{0}));
    EXPECT_TRUE(order.waits_for(2).empty());
    EXPECT_EQ(order.waits_for(3), (std::vector<size_t>{0, 2}));
    EXPECT_EQ(order.waits_for(4), (std::vector<size_t>{1}));  // A's latest, not its first; two of A's events in one request
}

TEST(RequestOrder, OnlyWhatItWaitsForMustGoThroughFirst) {
    const Batch batch{{{0}, {1}, {2}}, {"A", "B", "A"}};
    RequestOrder order = batch.order();
    EXPECT_TRUE(order.ready(0));
    EXPECT_TRUE(order.ready(1));
    EXPECT_FALSE(order.ready(2));
    const std::vector<size_t> all = {0, 1, 2};
    EXPECT_EQ(order.first_ready(std::span<const size_t>(all).subspan(2)), std::nullopt);
    order.take(0);
    EXPECT_FALSE(order.ready(0));
    EXPECT_FALSE(order.ready(2));  // still being sent
    order.went_through(0);
    EXPECT_TRUE(order.ready(2));
    EXPECT_EQ(order.first_ready(all), 1u);
}

TEST(RequestOrder, AFailureHoldsBackWhatWaitsForItTransitivelyAndNothingElse) {
    // 0:{A} 1:{A,B} 2:{B} 3:{C} 4:{C,D} — 2 waits for 0 only through 1.
    const Batch batch{{{0}, {1, 2}, {3}, {4}, {5, 6}}, {"A", "A", "B", "B", "C", "C", "D"}};
    RequestOrder order = batch.order();
    order.take(0);
    order.take(3);
    EXPECT_EQ(order.failed(0), (std::vector<size_t>{1, 2}));
    EXPECT_EQ(order.state(0), State::failed);
    EXPECT_EQ(order.state(1), State::held_back);
    EXPECT_EQ(order.state(2), State::held_back);
    EXPECT_EQ(order.state(4), State::waiting);
    const std::vector<size_t> rest = {1, 2, 4};
    EXPECT_TRUE(order.any_waiting(rest));
    order.went_through(3);
    EXPECT_EQ(order.first_ready(rest), 4u);
}

TEST(RequestOrder, ADeadLetteredRequestLetsItsUsersGoOn) {
    const Batch batch{{{0}, {1}}, {"A", "A"}};
    RequestOrder order = batch.order();
    order.take(0);
    order.went_through(0);  // delivered or dead-lettered alike
    EXPECT_TRUE(order.ready(1));
}

TEST(RequestOrder, HoldingBackARequestHoldsBackWhatWaitsForIt) {
    const Batch batch{{{0}, {1}, {2}}, {"A", "B", "A"}};
    RequestOrder order = batch.order();
    order.take(0);
    EXPECT_EQ(order.hold_back(0), (std::vector<size_t>{2}));
    EXPECT_EQ(order.state(0), State::held_back);
    EXPECT_TRUE(order.ready(1));
    order.put_back(0);
    EXPECT_EQ(order.state(0), State::waiting);
}

TEST(RequestOrder, EventIndexesPastTheBatchAreIgnored) {
    const Batch batch{{{0, 9}, {0}}, {"A"}};
    EXPECT_EQ(batch.order().waits_for(1), (std::vector<size_t>{0}));
}

}  // namespace
}  // namespace switchyard
