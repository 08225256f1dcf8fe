// YAML → JSON conversion following the YAML 1.2 core schema for untagged plain scalars.
#include "host/config/yaml_json.h"

#include <string_view>

#include "host/json/json_pointer.h"

namespace switchyard {
namespace {

// Hand-written rather than std::regex, which recurses once per character: a long scalar
// overflowed the stack.
void skip_sign(std::string_view &s) {
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
}

size_t skip_digits(std::string_view &s) {
    size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    s.remove_prefix(n);
    return n;
}

// [-+]?[0-9]+
bool is_integer(std::string_view s) {
    skip_sign(s);
    return skip_digits(s) > 0 && s.empty();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float(std::string_view s) {
    skip_sign(s);
    const size_t whole = skip_digits(s);
    size_t fraction = 0;
    if (!s.empty() && s.front() == '.') {
        s.remove_prefix(1);
        fraction = skip_digits(s);
    }
    if (whole == 0 && fraction == 0) return false;
    if (!s.empty() && (s.front() == 'e' || s.front() == 'E')) {
        s.remove_prefix(1);
        skip_sign(s);
        if (skip_digits(s) == 0) return false;
    }
    return s.empty();
}

nlohmann::json plain_scalar(const std::string &s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (is_integer(s)) {
        try {
            return std::stoll(s);
        } catch (const std::out_of_range &) {  // past int64: read as a float below
        }
    }
    if (is_float(s)) {
        try {
            return std::stod(s);
        } catch (const std::out_of_range &) {  // past a double (1e999): JSON has no number for it
        }
    }
    return s;
}

void record_lines(const YAML::Node &node, const std::string &pointer, std::map<std::string, int> &lines) {
    if (node.IsMap()) {
        for (const auto &kv : node) {
            const std::string member = pointer_append(pointer, kv.first.Scalar());
            lines.emplace(member, kv.first.Mark().line + 1);
            record_lines(kv.second, member, lines);
        }
    } else if (node.IsSequence()) {
        size_t index = 0;
        for (const auto &item : node) {
            const std::string at = pointer_append(pointer, std::to_string(index++));
            lines.emplace(at, item.Mark().line + 1);
            record_lines(item, at, lines);
        }
    }
}

}  // namespace

std::map<std::string, int> json_pointer_lines(const YAML::Node &node) {
    std::map<std::string, int> lines{{"", node.Mark().line + 1}};
    record_lines(node, "", lines);
    return lines;
}

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
