// YAML documents as JSON values, with YAML 1.2 core-schema scalar typing.
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace switchyard {

// Plain scalars become null, booleans or numbers when they read as such; quoted scalars
// always stay strings. Throws YAML::Exception for aliases to nowhere and the like.
nlohmann::json yaml_to_json(const YAML::Node &node);

}  // namespace switchyard
