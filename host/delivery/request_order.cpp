// Which requests of a batch wait for which, and what a failure holds back.
#include "host/delivery/request_order.h"

#include <algorithm>
#include <unordered_map>

namespace switchyard {

RequestOrder::RequestOrder(std::span<const std::span<const uint32_t>> events_of,
                           std::span<const std::string_view> user_of)
    : waits_for_(events_of.size()), states_(events_of.size(), State::waiting) {
    std::unordered_map<std::string_view, size_t> latest;  // user -> the latest request carrying them
    for (size_t j = 0; j < events_of.size(); ++j) {
        std::vector<size_t> &waits = waits_for_[j];
        for (const uint32_t event : events_of[j]) {
            if (event >= user_of.size()) continue;
            auto [it, first] = latest.try_emplace(user_of[event], j);
            if (!first && it->second != j) waits.push_back(it->second);
            it->second = j;
        }
        std::ranges::sort(waits);
        waits.erase(std::unique(waits.begin(), waits.end()), waits.end());
    }
}

bool RequestOrder::ready(size_t request) const {
    return states_[request] == State::waiting &&
           std::ranges::all_of(waits_for_[request], [this](size_t w) { return states_[w] == State::through; });
}

std::optional<size_t> RequestOrder::first_ready(std::span<const size_t> requests) const {
    for (const size_t j : requests)
        if (ready(j)) return j;
    return std::nullopt;
}

bool RequestOrder::any_waiting(std::span<const size_t> requests) const {
    return std::ranges::any_of(requests, [this](size_t j) { return states_[j] == State::waiting; });
}

std::vector<size_t> RequestOrder::failed(size_t request) {
    states_[request] = State::failed;
    return hold_back_after(request);
}

std::vector<size_t> RequestOrder::hold_back(size_t request) {
    states_[request] = State::held_back;
    return hold_back_after(request);
}

// A request only waits for earlier ones, so one pass forward reaches everything behind `request`.
std::vector<size_t> RequestOrder::hold_back_after(size_t request) {
    std::vector<size_t> held;
    for (size_t j = request + 1; j < states_.size(); ++j) {
        if (states_[j] != State::waiting) continue;
        const bool blocked = std::ranges::any_of(waits_for_[j], [this](size_t w) {
            return states_[w] == State::failed || states_[w] == State::held_back;
        });
        if (!blocked) continue;
        states_[j] = State::held_back;
        held.push_back(j);
    }
    return held;
}

}  // namespace switchyard
