// Sending a batch's requests against a fake destination: a failed or throttled request holds back
// only its users' later requests, which come out not attempted; lanes of two rate keys overlap;
// a crash while lanes overlap sends the rest one at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

#include "host/router/batch_sends.h"
#include "host/router/router.h"

namespace switchyard {
namespace {

constexpr auto kGuard = std::chrono::seconds(10);  // only a broken build waits this long

sy_str_view sv(std::string_view s) { return {s.data(), s.size()}; }

// Answers each request by its kind (the request's name in these tests) and records what it was sent.
class FakeDestination final : public Destination {
   public:
    using Answer = std::function<SendResult(std::string_view name)>;
    FakeDestination(bool in_this_process, Answer answer)
        : Destination(nullptr, "test/fake"), here_(in_this_process), answer_(std::move(answer)) {}

    SendResult send(const sy_request &request) const override {
        const std::string name(request.kind.ptr, request.kind.len);
        {
            const std::lock_guard lock(mutex_);
            sent_.push_back(name);
            ++in_flight_;
            if (crashed_) most_at_once_after_crash_ = std::max(most_at_once_after_crash_, in_flight_);
        }
        SendResult result = answer_(name);
        const std::lock_guard lock(mutex_);
        --in_flight_;
        if (!result && !result.crash().empty()) crashed_ = true;
        return result;
    }
    std::vector<std::string> sent() const {
        const std::lock_guard lock(mutex_);
        return sent_;
    }
    size_t most_at_once_after_crash() const {
        const std::lock_guard lock(mutex_);
        return most_at_once_after_crash_;
    }
    bool in_this_process() const override { return here_; }

    TransformResult transform(std::span<const sy_borrowed_str>, uint32_t) const override { return {}; }
    std::vector<sy_rate_limit> rate_limits() const override { return {}; }
    TransformResult delete_users(std::span<const sy_borrowed_str>) const override { return {}; }
    Verification verify() const override { return {}; }
    void release(void *) const override {}

   private:
    const bool here_;
    const Answer answer_;
    mutable std::mutex mutex_;
    mutable std::vector<std::string> sent_;
    mutable size_t in_flight_ = 0;
    mutable bool crashed_ = false;
    mutable size_t most_at_once_after_crash_ = 0;
};

SendResult answered(sy_outcome outcome, uint32_t status = 200) {
    SendRead read;
    read.fields.outcome = outcome;
    read.fields.http_status = status;
    return SendResult(std::make_shared<int>(0), read);
}

SendResult crashed() { return SendResult::lost("crashed (SIGSEGV)", "the plugin worker crashed (SIGSEGV)"); }

struct Planned {
    std::string name, rate_key;
    std::vector<uint32_t> events;
};

// A batch of jobs (one per user letter) and its requests; sends them through `destination`.
class Sending {
   public:
    Sending(const std::string &users, std::vector<Planned> planned) : planned_(std::move(planned)) {
        declare_delivery_metrics(metrics_);
        for (const char user : users) {
            Job job;
            job.user_key = std::string(1, user);
            jobs_.push_back(job);
        }
        for (const Planned &p : planned_) {  // the request's views point into planned_
            RequestRead request(p.events);
            request.fields.kind = sv(p.name);
            request.fields.rate_key = sv(p.rate_key);
            result_.requests.push_back(std::move(request));
        }
    }
    std::vector<EventOutcome> run(const FakeDestination &destination, std::vector<uint32_t> *alone = nullptr,
                                  size_t *lanes = nullptr) {
        const WatchedCalls calls(destination, nullptr, CallDeadlines{}, [](const std::string &) {},
                                 std::make_shared<HungCalls>(1));
        const SendContext context{destination_key_, metrics_, stopping, calls, pacer_, pool_};
        BatchSends sends(context, result_, jobs_);
        std::vector<uint32_t> left_alone;
        std::vector<EventOutcome> outcomes = sends.run(left_alone);
        if (alone != nullptr) *alone = left_alone;
        if (lanes != nullptr) *lanes = sends.lane_count();
        return outcomes;
    }
    std::atomic<bool> stopping{false};

   private:
    const std::vector<Planned> planned_;
    std::vector<Job> jobs_;
    TransformRead result_;
    const std::string destination_key_ = "test/fake";
    Metrics metrics_;
    Pacer pacer_{{}};
    DeliveryPool pool_{2 * kMaxLanes};  // more than half idle: every lane gets a thread
};

TEST(BatchSends, AFailedRequestHoldsBackOnlyItsUsersLaterRequests) {
    for (const bool here : {true, false}) {
        SCOPED_TRACE(here ? "in-process" : "isolated");
        const FakeDestination destination(here, [](std::string_view name) {
            return name == "a1" ? answered(SY_RETRY, 503) : answered(SY_OK);
        });
        Sending batch("ABAC", {{"a1", "users", {0}}, {"b1", "users", {1}}, {"a2", "events", {2}}, {"c1", "events", {3}}});
        const std::vector<EventOutcome> outcomes = batch.run(destination);
        std::vector<std::string> sent = destination.sent();
        std::ranges::sort(sent);
        EXPECT_EQ(sent, (std::vector<std::string>{"a1", "b1", "c1"}));
        EXPECT_EQ(outcomes[0].outcome, SY_RETRY);
        EXPECT_FALSE(outcomes[0].held_back);  // sent: an attempt
        EXPECT_EQ(outcomes[1].outcome, SY_OK);
        EXPECT_TRUE(outcomes[2].held_back);
        EXPECT_EQ(outcomes[2].message, kHeldBack);
        EXPECT_EQ(outcomes[3].outcome, SY_OK);
    }
}

TEST(BatchSends, AThrottledRequestHoldsBackItsUsersOthersStillGo) {
    const FakeDestination destination(true, [](std::string_view name) {
        return name == "a1" ? answered(SY_THROTTLED, 429) : answered(SY_OK);
    });
    // a2 waits for a1 through B's events: held back too.
    Sending batch("ABBC", {{"a1", "users", {0, 1}}, {"b2", "users", {2}}, {"c1", "users", {3}}});
    const std::vector<EventOutcome> outcomes = batch.run(destination);
    EXPECT_EQ(destination.sent(), (std::vector<std::string>{"a1", "c1"}));
    EXPECT_EQ(outcomes[0].outcome, SY_THROTTLED);
    EXPECT_EQ(outcomes[1].outcome, SY_THROTTLED);
    EXPECT_TRUE(outcomes[2].held_back);
    EXPECT_EQ(outcomes[3].outcome, SY_OK);
}

TEST(BatchSends, AnEventRetriedInsideADeliveredBulkRequestHoldsBackItsUser) {
    const FakeDestination destination(true, [](std::string_view name) {
        if (name != "bulk") return answered(SY_OK);
        static const std::vector<sy_event_outcome> per_event = {{sizeof(sy_event_outcome), SY_OK, 200, sv("")},
                                                                {sizeof(sy_event_outcome), SY_RETRY, 500, sv("busy")}};
        SendRead read;
        read.fields.outcome = SY_OK;
        read.events = per_event;
        return SendResult(std::make_shared<int>(0), read);
    });
    Sending batch("ABBA", {{"bulk", "users", {0, 1}}, {"b2", "users", {2}}, {"a2", "users", {3}}});
    const std::vector<EventOutcome> outcomes = batch.run(destination);
    EXPECT_EQ(destination.sent(), (std::vector<std::string>{"bulk"}));  // the request holds back both its users
    EXPECT_EQ(outcomes[0].outcome, SY_OK);
    EXPECT_EQ(outcomes[1].outcome, SY_RETRY);
    EXPECT_TRUE(outcomes[2].held_back);
    EXPECT_TRUE(outcomes[3].held_back);
}

TEST(BatchSends, OnceTheHostIsStoppingNothingIsSentAndNothingIsAttempted) {
    const FakeDestination destination(false, [](std::string_view) { return answered(SY_OK); });
    Sending batch("AB", {{"a1", "users", {0}}, {"b1", "events", {1}}});
    batch.stopping = true;
    const std::vector<EventOutcome> outcomes = batch.run(destination);
    EXPECT_TRUE(destination.sent().empty());
    EXPECT_TRUE(outcomes[0].held_back);
    EXPECT_TRUE(outcomes[1].held_back);
}

// Each of the two first sends waits until the other has begun: they can only both return when
// their lanes overlap (the guard fails the test instead of hanging it).
TEST(BatchSends, LanesOfTwoRateKeysSendAtOnce) {
    std::mutex mutex;
    std::condition_variable arrived;
    int inside = 0;
    bool overlapped = true;
    const FakeDestination destination(false, [&](std::string_view name) {
        if (name != "u1" && name != "e1") return answered(SY_OK);
        std::unique_lock lock(mutex);
        ++inside;
        arrived.notify_all();
        if (!arrived.wait_for(lock, kGuard, [&] { return inside == 2; })) overlapped = false;
        return answered(SY_OK);
    });
    Sending batch("ABCD", {{"u1", "users", {0}}, {"u2", "users", {1}}, {"e1", "events", {2}}, {"e2", "events", {3}}});
    size_t lanes = 0;
    const std::vector<EventOutcome> outcomes = batch.run(destination, nullptr, &lanes);
    EXPECT_EQ(lanes, 2u);
    EXPECT_TRUE(overlapped);
    for (const EventOutcome &outcome : outcomes) EXPECT_EQ(outcome.outcome, SY_OK);
}

TEST(BatchSends, AUsersRequestOnAnotherLaneWaitsForItsEarlierOne) {
    const FakeDestination destination(false, [](std::string_view name) {
        return name == "a1" ? answered(SY_RETRY, 503) : answered(SY_OK);
    });
    Sending batch("AAB", {{"a1", "users", {0}}, {"a2", "events", {1}}, {"b1", "events", {2}}});
    const std::vector<EventOutcome> outcomes = batch.run(destination);
    std::vector<std::string> sent = destination.sent();
    std::ranges::sort(sent);
    EXPECT_EQ(sent, (std::vector<std::string>{"a1", "b1"}));  // a2 never overtook a1
    EXPECT_TRUE(outcomes[1].held_back);
    EXPECT_EQ(outcomes[2].outcome, SY_OK);
}

TEST(BatchSends, AnInstanceInThisProcessIsSentToOnOneLane) {
    const FakeDestination destination(true, [](std::string_view) { return answered(SY_OK); });
    Sending batch("AB", {{"u1", "users", {0}}, {"e1", "events", {1}}});
    size_t lanes = 0;
    batch.run(destination, nullptr, &lanes);
    EXPECT_EQ(lanes, 1u);
    EXPECT_EQ(destination.sent(), (std::vector<std::string>{"u1", "e1"}));
}

// The culprit ends the worker at every send; its first send also takes e1's call down with it.
// After that, requests go one at a time, so e1 is not blamed and the culprit's events are left
// to be delivered alone.
TEST(BatchSends, ACrashWhileLanesOverlapSendsTheRestOneAtATime) {
    std::mutex mutex;
    std::condition_variable arrived;
    int inside = 0;
    bool first_e1 = true;
    const FakeDestination destination(false, [&](std::string_view name) {
        std::unique_lock lock(mutex);
        if (name == "culprit" && inside >= 0) {
            ++inside;
            arrived.notify_all();
            arrived.wait_for(lock, kGuard, [&] { return inside >= 2; });
            inside = -1;  // the worker is gone: every later culprit send crashes at once
            arrived.notify_all();
            return crashed();
        }
        if (name == "culprit") return crashed();
        if (name == "e1" && first_e1) {
            first_e1 = false;
            ++inside;
            arrived.notify_all();
            arrived.wait_for(lock, kGuard, [&] { return inside < 0; });
            return crashed();
        }
        return answered(SY_OK);
    });
    Sending batch("ABCDE", {{"culprit", "users", {0, 1}}, {"e1", "events", {2}}, {"e2", "events", {3}}, {"u2", "users", {4}}});
    std::vector<uint32_t> alone;
    const std::vector<EventOutcome> outcomes = batch.run(destination, &alone);
    EXPECT_EQ(alone, (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(outcomes[2].outcome, SY_OK);  // sent again after the crash, not dead-lettered
    EXPECT_EQ(outcomes[3].outcome, SY_OK);
    EXPECT_EQ(outcomes[4].outcome, SY_OK);
    EXPECT_EQ(destination.most_at_once_after_crash(), 1u);
}

}  // namespace
}  // namespace switchyard
