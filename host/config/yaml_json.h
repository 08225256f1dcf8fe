// YAML documents as JSON values, with YAML 1.2 core-schema scalar typing.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace switchyard {

// Rewrites a scalar's text before typing (e.g. ${ENV} expansion); nullopt leaves it alone.
// A rewritten scalar is always a string: a secret made of digits stays a string.
using ScalarRewrite = std::function<std::optional<std::string>(const YAML::Node &scalar)>;

// Plain scalars become null, booleans or numbers when they read as such; quoted scalars
// always stay strings.
nlohmann::json yaml_to_json(const YAML::Node &node, const ScalarRewrite &rewrite = {});

// The line (1-based) of `node` and of each member key and item within it, by the JSON pointer
// of that place in yaml_to_json(node) ("" = `node`): problems found later in the JSON name it.
std::map<std::string, int> json_pointer_lines(const YAML::Node &node);

}  // namespace switchyard
