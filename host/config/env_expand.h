// ${NAME} and ${file:PATH} references in configuration values, and durations.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/config/workspace.h"

namespace switchyard {

// Where references resolve: ${NAME} through `env`; ${file:PATH} to that file's content with one
// trailing newline stripped, a relative PATH taken from `base_dir` (the workspace file's directory).
struct ReferenceSources {
    const EnvLookup &env;
    std::filesystem::path base_dir;
};

struct Expansion {
    std::string text;
    std::vector<std::string> values;  // what each reference was replaced by: secrets, all of them
};

// Replaces every reference in `text`. A variable that is not set, or a file that cannot be read,
// is an error naming it (never the file's content); "$${" is a literal "${". Text without
// references comes back unchanged.
std::optional<Expansion> expand_references(std::string_view text, const ReferenceSources &sources, std::string &error);

// "250ms", "30s", "90m", "3h", "1d"; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// "512MiB", "1GiB", "64KiB" or a plain number of bytes; nullopt for anything else (or 0).
std::optional<uint64_t> parse_byte_size(std::string_view text);

}  // namespace switchyard
