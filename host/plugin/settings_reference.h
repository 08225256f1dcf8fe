// A plugin's settings reference, read from its settings schema: what `switchyard plugins
// --describe NAME` prints, one row per setting.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchyard {

struct SettingReference {
    std::string path;           // "apiKey", "auth.realm", "headers.*" (any member), "x-*" (a pattern)
    std::string type;           // "string", "integer", "string (USDC|EUDC)", "any"
    bool required = false;
    std::string default_value;  // compact JSON; "" when none
    bool secret = false;        // marked, or under a setting marked, "x-secret" / "writeOnly"
    std::string description;
};

// Every setting the schema describes, nested objects' members after their object, in name order.
std::vector<SettingReference> settings_reference(const nlohmann::json &schema);

// The rows as an aligned text table with a header line; a default too long for its column is
// shown in full on the line below its row.
void print_settings_reference(std::ostream &out, std::span<const SettingReference> rows);

}  // namespace switchyard
