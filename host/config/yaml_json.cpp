// YAML → JSON conversion following the YAML 1.2 core schema for untagged plain scalars.
#include "host/config/yaml_json.h"

#include <regex>

namespace switchyard {
namespace {

nlohmann::json plain_scalar(const std::string &s) {
    static const std::regex kInt(R"([-+]?[0-9]+)");
    static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (std::regex_match(s, kInt)) {
        try {
            return std::stoll(s);
        } catch (const std::out_of_range &) {  // past int64: read as a float below
        }
    }
    if (std::regex_match(s, kFloat)) {
        try {
            return std::stod(s);
        } catch (const std::out_of_range &) {  // past a double (1e999): JSON has no number for it
        }
    }
    return s;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node &node, const ScalarRewrite &rewrite) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            nlohmann::json out = nlohmann::json::object();
            for (const auto &kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second, rewrite);
            return out;
        }
        case YAML::NodeType::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            for (const auto &item : node) out.push_back(yaml_to_json(item, rewrite));
            return out;
        }
        case YAML::NodeType::Scalar:
            if (rewrite)
                if (auto rewritten = rewrite(node)) return *rewritten;
            // yaml-cpp tags quoted scalars "!": they are strings whatever they read as.
            return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : plain_scalar(node.Scalar());
        default:
            return nullptr;
    }
}

}  // namespace switchyard
