// SHA-256 of a file, as `sha256sum` prints it: how operators tell plugin builds apart.
#pragma once

#include <filesystem>
#include <string>

namespace switchyard {

// Lower-case hex digest; throws std::runtime_error naming the file when it cannot be read.
std::string sha256_of_file(const std::filesystem::path &file);

}  // namespace switchyard
