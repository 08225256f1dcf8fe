// One walk over a parsed value, depth first; the path is built only for the problem found.
#include "host/ingest/shape_limits.h"

#include <optional>

namespace switchyard::ingest {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t kMaxQuotedName = 64;  // a member name quoted in a path stays short

struct Problem {
    // cppcheck-suppress unusedStructMember ; read through std::optional's ->, which cppcheck misses
    std::string path;  // ".properties.items[2]" below the walked value; empty: the value itself
    // cppcheck-suppress unusedStructMember
    std::string what;  // "is a string of ..."
};

std::string over(size_t actual, size_t limit, std::string_view unit) {
    return std::to_string(actual) + " " + std::string(unit) + ", more than the limit of " + std::to_string(limit);
}

std::optional<Problem> find_problem(element value, size_t depth, const ShapeLimits &limits);

std::optional<Problem> in_object(simdjson::dom::object object, size_t depth, const ShapeLimits &limits) {
    for (const simdjson::dom::key_value_pair field : object) {
        const std::string name(field.key.substr(0, kMaxQuotedName));
        if (field.key.size() > limits.max_string_bytes)
            return Problem{"." + name + "…", "is a member name of " + over(field.key.size(), limits.max_string_bytes, "bytes")};
        if (auto problem = find_problem(field.value, depth + 1, limits)) {
            problem->path = "." + name + problem->path;
            return problem;
        }
    }
    return std::nullopt;
}

std::optional<Problem> in_array(simdjson::dom::array array, size_t depth, const ShapeLimits &limits) {
    size_t index = 0;
    for (const element item : array) {
        if (auto problem = find_problem(item, depth + 1, limits)) {
            problem->path = "[" + std::to_string(index) + "]" + problem->path;
            return problem;
        }
        ++index;
    }
    return std::nullopt;
}

std::optional<Problem> find_problem(element value, size_t depth, const ShapeLimits &limits) {
    const element_type type = value.type();
    if (type == element_type::STRING) {
        const size_t bytes = value.get_string().value_unsafe().size();
        if (bytes > limits.max_string_bytes) return Problem{"", "is a string of " + over(bytes, limits.max_string_bytes, "bytes")};
        return std::nullopt;
    }
    if (type != element_type::OBJECT && type != element_type::ARRAY) return std::nullopt;
    if (depth > limits.max_depth)
        return Problem{"", "is nested more than " + std::to_string(limits.max_depth) + " levels deep (objects and arrays)"};
    return type == element_type::OBJECT ? in_object(value.get_object().value_unsafe(), depth, limits)
                                        : in_array(value.get_array().value_unsafe(), depth, limits);
}

}  // namespace

std::string shape_problem(element value, const ShapeLimits &limits) {
    const std::optional<Problem> problem = find_problem(value, 1, limits);
    if (!problem) return {};
    if (problem->path.empty()) return "it " + problem->what;
    const std::string_view path = std::string_view(problem->path).substr(problem->path[0] == '.' ? 1 : 0);
    return "\"" + std::string(path) + "\" " + problem->what;
}

}  // namespace switchyard::ingest
