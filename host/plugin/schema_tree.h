// Finding one's way in a JSON Schema document: the subschema that governs a member or an item,
// and the secret marks. Shared by settings checking, defaults, secrets and the settings reference.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchyard {

// The subschema for member `key` of an object described by `schema`: "properties", then the
// first matching "patternProperties", then an object "additionalProperties"; null when none.
const nlohmann::json *member_schema(const nlohmann::json &schema, const std::string &key);

// The subschema for item `index` of an array described by `schema` ("items"); null when none.
const nlohmann::json *item_schema(const nlohmann::json &schema, size_t index);

// Whether a subschema marks its value secret: "x-secret": true, or "writeOnly": true (JSON
// Schema's mark for a value that is never shown back).
bool marked_secret(const nlohmann::json &schema);

}  // namespace switchyard
