// Navigating a JSON Schema document (see schema_tree.h).
#include "host/plugin/schema_tree.h"

#include <array>
#include <regex>

namespace switchyard {
namespace {

constexpr std::array<const char *, 2> kSecretMarks = {"x-secret", "writeOnly"};

bool pattern_matches(const std::string &pattern, const std::string &key) {
    try {
        return std::regex_search(key, std::regex(pattern, std::regex::ECMAScript));
    } catch (const std::regex_error &) {  // the schema parser refused such a schema already
        return false;
    }
}

const nlohmann::json *object_member(const nlohmann::json &object, const char *name) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(name);
    return it != object.end() ? &*it : nullptr;
}

}  // namespace

const nlohmann::json *member_schema(const nlohmann::json &schema, const std::string &key) {
    if (const nlohmann::json *properties = object_member(schema, "properties"))
        if (const nlohmann::json *found = object_member(*properties, key.c_str())) return found;
    if (const nlohmann::json *patterns = object_member(schema, "patternProperties"); patterns && patterns->is_object())
        for (const auto &[pattern, sub] : patterns->items())
            if (pattern_matches(pattern, key)) return &sub;
    const nlohmann::json *additional = object_member(schema, "additionalProperties");
    return additional != nullptr && additional->is_object() ? additional : nullptr;
}

const nlohmann::json *item_schema(const nlohmann::json &schema, size_t index) {
    const nlohmann::json *items = object_member(schema, "items");
    if (items == nullptr) return nullptr;
    if (items->is_array()) return index < items->size() ? &(*items)[index] : nullptr;
    return items->is_object() ? items : nullptr;
}

bool marked_secret(const nlohmann::json &schema) {
    for (const char *mark : kSecretMarks)
        if (const nlohmann::json *value = object_member(schema, mark); value != nullptr && *value == true) return true;
    return false;
}

}  // namespace switchyard
