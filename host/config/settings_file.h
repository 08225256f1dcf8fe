// Reading a destination's settings from a file an operator wrote: JSON or YAML.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace switchyard {

// Returns the settings as compact JSON text, or nullopt with `error` naming the file and problem.
std::optional<std::string> read_settings_file(const std::filesystem::path &file, std::string &error);

}  // namespace switchyard
