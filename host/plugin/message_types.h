// The message types a destination takes (its table's message_types), and sorting a call's events
// into those passed to the plugin and those the host skips.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/plugin/plugin_results.h"
#include "switchyard/plugin.h"

namespace switchyard {

class MessageTypes {
   public:
    // `declared`: NULL-terminated, or NULL for every type.
    explicit MessageTypes(const char *const *declared);

    bool takes_all() const { return !declared_; }
    const std::optional<std::vector<std::string>> &declared() const { return declared_; }

    // Whether this destination takes events of `type` (case-insensitive).
    bool takes(std::string_view type) const;

    // The event's "type" when it is a string this destination does not take; nullopt otherwise
    // (a taken type, or no readable type: the plugin says what is wrong with such an event).
    std::optional<std::string> refused_type(std::string_view event_json) const;

   private:
    std::optional<std::vector<std::string>> declared_;
};

struct Admission {
    std::vector<sy_borrowed_str> events;    // what the plugin is given
    std::vector<uint32_t> positions;        // of each of those in the caller's events
    std::vector<EventErrorRead> skipped;    // SY_SKIPPED, skipped_by_host, with a sentence each
};

Admission admit(const MessageTypes &types, std::span<const sy_borrowed_str> events);

}  // namespace switchyard
