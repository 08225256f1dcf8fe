// Strict YAML: values yaml-cpp accepts but that swallowed the lines after them (an unterminated
// quote, a value run on to the next line, `key:value` without a space) are problems, not a
// silently different configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace switchyard {

// The document of `text`, or nullopt once its problems are added to `problems` as
// "<file>:<line>: <key>: <what>": what yaml-cpp refuses, and what it accepts although a value
// swallowed the lines after it. Block scalars (`|`, `>`) are the one way a value may span
// lines. A problem never quotes a value: it may be a secret.
std::optional<YAML::Node> parse_strict_yaml(const std::string &text, const std::string &file,
                                            std::vector<std::string> &problems);

}  // namespace switchyard
