// ${NAME} and ${file:PATH} references in configuration values.
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



}  // namespace switchyard
