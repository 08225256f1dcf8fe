// One row of a plugin's settings table, {name, kind, default, required, secret, description},
// and the kinds of value every plugin needs. A plugin adds its own kinds (an enum of its data
// centers, a map of its rate keys) as more SettingKind constants.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace sy::sdk {

struct SettingKind {
    std::string_view doc_name;     // in the settings reference, e.g. "integer (ms)"
    std::string_view schema_json;  // the value's JSON Schema keywords, e.g. {"type":"string"}
    // Why `value` does not fit ("" when it does), to follow `Setting "name" `; never quotes a
    // value that could be a secret.
    std::string (*problem)(const nlohmann::json &value);
};

struct SettingSpec {
    std::string_view name;  // a trailing '*' matches every key with that prefix
    const SettingKind *kind;
    std::string_view default_json;  // the value used when the key is absent; "" = no default
    bool required;
    bool secret;  // marked writeOnly in the schema; the plugin keeps it in a Secret
    std::string_view description;
};

namespace kinds {
extern const SettingKind kString;
extern const SettingKind kBoolean;
extern const SettingKind kMilliseconds;  // 1 … 3,600,000
extern const SettingKind kUrl;           // url_rules.h: https, or http on loopback
extern const SettingKind kIgnored;       // any value, accepted and ignored
}  // namespace kinds

}  // namespace sy::sdk
