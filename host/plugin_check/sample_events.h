// The messages `switchyard plugin-check` transforms when no --events are given: one realistic
// RudderStack message of every type.
#pragma once

#include <span>
#include <string_view>

namespace switchyard::plugin_check {

struct SampleEvent {
    std::string_view type;  // identify, track, page, screen, group, alias
    std::string_view json;  // as the host stores it (messageId, receivedAt, ... filled in)
};

std::span<const SampleEvent> sample_events();

}  // namespace switchyard::plugin_check
