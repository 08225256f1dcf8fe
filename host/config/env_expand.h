// ${NAME} references in configuration values, resolved from the environment.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "host/config/workspace.h"

namespace switchyard {

// Replaces every ${NAME} in `text`. A missing variable is an error naming it; "$${" is a
// literal "${". Text without references comes back unchanged.
std::optional<std::string> expand_env(std::string_view text, const EnvLookup &env, std::string &error);

// "250ms", "30s", "90m", "3h", "1d"; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace switchyard
