// The order a batch's requests must keep so that each user's events reach the destination in
// order: a request waits for the latest earlier request carrying one of its users, and goes only
// once every request it waits for went through. One that must be retried holds back the requests
// that wait for it, directly or not; every other request still goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace switchyard {

class RequestOrder {
   public:
    enum class State {
        waiting,    // not sent yet
        taken,      // being sent
        through,    // delivered, or given up on for good (dead-lettered): later requests may go
        failed,     // must be retried: what waits for it is held back
        held_back,  // not sent: it waits for a failed request
    };

    // `events_of[j]`: the event indexes request j carries, the requests in the plugin's order (each
    // user's requests in that user's event order); `user_of[i]`: event i's user. Indexes past
    // `user_of` are ignored.
    RequestOrder(std::span<const std::span<const uint32_t>> events_of, std::span<const std::string_view> user_of);

    State state(size_t request) const { return states_[request]; }
    // The earlier requests `request` waits for, ascending.
    const std::vector<size_t> &waits_for(size_t request) const { return waits_for_[request]; }

    // Waiting, and everything it waits for went through.
    bool ready(size_t request) const;
    // The first ready request among `requests`, if any.
    std::optional<size_t> first_ready(std::span<const size_t> requests) const;
    // Whether any of `requests` is still waiting (ready or not).
    bool any_waiting(std::span<const size_t> requests) const;

    void take(size_t request) { states_[request] = State::taken; }
    void put_back(size_t request) { states_[request] = State::waiting; }
    void went_through(size_t request) { states_[request] = State::through; }
    // Marks `request` failed and returns the waiting requests this holds back, ascending.
    std::vector<size_t> failed(size_t request);
    // Marks `request` held back (not sent) and returns the waiting requests this holds back too.
    std::vector<size_t> hold_back(size_t request);

   private:
    std::vector<size_t> hold_back_after(size_t request);

    std::vector<std::vector<size_t>> waits_for_;
    std::vector<State> states_;
};

}  // namespace switchyard
