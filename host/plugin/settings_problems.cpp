// Settings checked against the schema by valijson, its errors reworded as one sentence per
// setting (see settings_schema.h). Never quotes a value: it may be a secret.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <map>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "host/json/json_pointer.h"
#include "host/plugin/schema_tree.h"
#include "host/plugin/settings_schema.h"

namespace switchyard {
namespace {

using nlohmann::json;

// valijson reports a failed member twice: its own error, then one on the parent saying the member
// failed. The second says nothing new.
constexpr std::array<std::string_view, 4> kRestatements = {
    "Failed to validate against schema associated with property name",
    "Failed to validate against schema associated with pattern",
    "Failed to validate against additional properties schema",
    "Failed to validate item #",
};

// The text between the last pair of single quotes: the member name valijson names.
std::string quoted_name(std::string_view description) {
    const size_t end = description.rfind('\'');
    const size_t begin = end == std::string_view::npos ? end : description.rfind('\'', end - 1);
    return begin == std::string_view::npos ? std::string() : std::string(description.substr(begin + 1, end - begin - 1));
}

std::string type_words(const json &type) {
    static const std::map<std::string, std::string> kWords = {
        {"string", "a string"},       {"integer", "a whole number"}, {"number", "a number"}, {"boolean", "true or false"},
        {"object", "a mapping"},      {"array", "a list"},           {"null", "null"}};
    if (type.is_string()) return kWords.contains(type.get<std::string>()) ? kWords.at(type.get<std::string>()) : type.dump();
    std::string words;
    if (type.is_array())
        for (const json &t : type) words += (words.empty() ? "" : " or ") + type_words(t);
    return words.empty() ? "of another type" : words;
}

std::string listed(const json &values) {
    std::string text;
    if (values.is_array())
        for (const json &v : values) text += (text.empty() ? "" : ", ") + v.dump();
    return text;
}

std::string keyword(const json *schema, const char *name) {
    return schema != nullptr && schema->is_object() && schema->contains(name) ? (*schema)[name].dump() : "?";
}

std::string valid_members(const json *schema) {
    std::string names;
    if (schema != nullptr && schema->is_object() && schema->contains("properties") && (*schema)["properties"].is_object())
        for (const auto &[name, property] : (*schema)["properties"].items()) names += (names.empty() ? "" : ", ") + name;
    return names.empty() ? "none" : names;
}

// One valijson error about the value at `problem.pointer`, governed by `schema` (null: unknown).
// cppcheck does not see the members read in the Wording table's lambdas (unusedStructMember).
struct ErrorContext {
    SettingProblem &problem;       // cppcheck-suppress unusedStructMember
    const json *schema;            // cppcheck-suppress unusedStructMember
    std::string_view description;  // cppcheck-suppress unusedStructMember
};

struct Wording {
    std::string_view valijson_prefix;
    std::function<void(ErrorContext &)> reword;
};

const std::vector<Wording> &wordings() {
    static const std::vector<Wording> kWordings = {
        {"Missing required property",
         [](ErrorContext &e) {
             e.problem.pointer = pointer_append(e.problem.pointer, quoted_name(e.description));
             e.problem.what = "is required";
         }},
        {"Object contains a property that could not be validated",
         [](ErrorContext &e) {
             e.problem.pointer = pointer_append(e.problem.pointer, quoted_name(e.description));
             e.problem.what = "is not a known setting (valid: " + valid_members(e.schema) + ")";
         }},
        {"Value type not permitted",
         [](ErrorContext &e) { e.problem.what = "must be " + type_words(e.schema ? e.schema->value("type", json()) : json()); }},
        {"Failed to match against any enum values",
         [](ErrorContext &e) { e.problem.what = "must be one of " + listed(e.schema ? e.schema->value("enum", json()) : json()); }},
        {"Expected number less than or equal to",
         [](ErrorContext &e) { e.problem.what = "must be at most " + keyword(e.schema, "maximum"); }},
        {"Expected number less than", [](ErrorContext &e) { e.problem.what = "must be less than " + keyword(e.schema, "exclusiveMaximum"); }},
        {"Expected number greater than or equal to",
         [](ErrorContext &e) { e.problem.what = "must be at least " + keyword(e.schema, "minimum"); }},
        {"Expected number greater than",
         [](ErrorContext &e) { e.problem.what = "must be greater than " + keyword(e.schema, "exclusiveMinimum"); }},
        {"String should be no more than",
         [](ErrorContext &e) { e.problem.what = "must be at most " + keyword(e.schema, "maxLength") + " characters long"; }},
        {"String should be no fewer than",
         [](ErrorContext &e) { e.problem.what = "must be at least " + keyword(e.schema, "minLength") + " characters long"; }},
    };
    return kWordings;
}

// valijson's own sentence, as the tail of ours: "settings.x: failed to match regex ...".
std::string as_tail(std::string_view description) {
    std::string text(description);
    if (!text.empty() && text.back() == '.') text.pop_back();
    if (!text.empty() && text.front() >= 'A' && text.front() <= 'Z') text.front() = static_cast<char>(text.front() - 'A' + 'a');
    return text;
}

// The subschema governing the value at `tokens` of `settings`.
const json *schema_at(const json &root, const json &settings, const std::vector<std::string> &tokens) {
    const json *schema = &root, *value = &settings;
    for (const std::string &token : tokens) {
        if (schema == nullptr || value == nullptr) return nullptr;
        if (value->is_array()) {
            const size_t index = std::strtoul(token.c_str(), nullptr, 10);
            schema = item_schema(*schema, index);
            value = index < value->size() ? &(*value)[index] : nullptr;
        } else {
            schema = member_schema(*schema, token);
            value = value->is_object() && value->contains(token) ? &(*value)[token] : nullptr;
        }
    }
    return schema;
}

std::string pointer_of(const std::vector<std::string> &context) {
    std::string pointer;
    for (const std::string &segment : context)  // "<root>", then "[name]" or "[index]"
        if (segment.size() >= 2 && segment.front() == '[' && segment.back() == ']')
            pointer = pointer_append(std::move(pointer), std::string_view(segment).substr(1, segment.size() - 2));
    return pointer;
}

}  // namespace

std::vector<SettingProblem> SettingsSchema::problems(const json &settings) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    std::vector<SettingProblem> out;
    try {
        validator.validate(*compiled_, valijson::adapters::NlohmannJsonAdapter(settings), &results);
    } catch (const std::exception &e) {  // e.g. a "pattern" std::regex cannot take
        out.push_back({"", "settings", std::string("could not be checked against the plugin's schema (") + e.what() + ")"});
        return out;
    }
    for (const valijson::ValidationResults::Error &error : results) {
        const std::string_view description = error.description;
        auto restates = [&](std::string_view prefix) { return description.starts_with(prefix); };
        if (std::any_of(kRestatements.begin(), kRestatements.end(), restates)) continue;
        SettingProblem problem{pointer_of(error.context), "", as_tail(description)};
        ErrorContext context{problem, schema_at(*document_, settings, pointer_tokens(problem.pointer)), description};
        for (const Wording &w : wordings())
            if (description.starts_with(w.valijson_prefix)) {
                w.reword(context);
                break;
            }
        problem.path = setting_path(settings, problem.pointer);
        out.push_back(std::move(problem));
    }
    return out;
}

}  // namespace switchyard
