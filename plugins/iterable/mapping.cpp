// The one interpreter of the field-mapping tables (see mapping.h for the rule language).
#include "mapping.h"

#include <array>
#include <cctype>

#include "js_semantics.h"

namespace iterable {
namespace {

using simdjson::dom::element_type;

bool is_number(Element e) {
    element_type t = e.type();
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

double number_of(Element e) {
    switch (e.type()) {
        case element_type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
        case element_type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
        default: return e.get_double().value_unsafe();
    }
}

double convert_number(Convert convert, const Value &value) {
    if (convert == Convert::kDateMs) {
        if (!value.exists()) return js::date_parse("");  // new Date(undefined): NaN
        if (value.element && is_number(*value.element)) return js::time_clip(number_of(*value.element));
        if (value.element && value.element->type() == element_type::BOOL)
            return value.element->get_bool().value_unsafe() ? 1 : 0;  // ToNumber(true) is 1
        return js::date_parse(js_string(value));
    }
    if (convert == Convert::kParseFloat && value.element && is_number(*value.element))
        return number_of(*value.element) + 0.0;  // String(n) round-trips; -0 prints as "0"
    std::string text = js_string(value);
    return convert == Convert::kParseFloat ? js::parse_float(text) : js::parse_int(text);
}

void write_categories(sy::sdk::JsonWriter &writer, const Value &value) {
    if (!value.element || value.element->type() != element_type::STRING) {
        write_json(writer, value);
        return;
    }
    std::string_view text = value.element->get_string().value_unsafe();
    writer.begin_array();
    for (size_t start = 0;;) {  // String.prototype.split(","): no trimming, empty parts kept
        size_t comma = text.find(',', start);
        writer.string(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    writer.end_array();
}

std::string_view platform_of(const Value &value) {
    static constexpr std::array<std::string_view, 4> kApple = {"ios", "watchos", "ipados", "tvos"};
    if (!value.element || value.element->type() != element_type::STRING) return "GCM";
    std::string lower(value.element->get_string().value_unsafe());
    for (char &c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view apple : kApple)
        if (lower == apple) return "APNS";
    return "GCM";
}

// "$" sources: values supplied by the builder rather than read from the event.
bool write_supplied(std::string_view source, const BuildContext &context, sy::sdk::JsonWriter &writer) {
    if (source == "$catalog.id") write_json(writer, *context.catalog_id);
    else if (source == "$settings.preferUserId") writer.boolean(context.settings.prefer_user_id);
    else if (source == "$settings.mergeNestedObjects") writer.boolean(context.settings.merge_nested_objects);
    else if (source == "$page.eventName") writer.string(context.page_event_name);
    else return false;
    return true;
}

bool first_required_error(const Mapping &mapping, BuildError &error) {
    for (const FieldRule &rule : mapping.fields)
        if (rule.need == Need::kRequired) {
            error.message = missing_value_message(rule.sources);
            return false;
        }
    return true;
}

bool write_items(const FieldRule &rule, const EventView &event, const BuildContext &context, sy::sdk::JsonWriter &writer,
                 BuildError &error) {
    writer.key(rule.dest);
    Value products = event.at(rule.sources[0]);
    if (products.element && products.element->is_array()) {
        writer.begin_array();
        for (Element product : as_array(*products.element))
            if (!build_object(*rule.nested, EventView(product), context, writer, error)) return false;
        writer.end_array();
        return true;
    }
    Value whole = event.at(rule.sources[1]);  // no products array: one item from properties
    writer.begin_array();
    if (!whole.element) return first_required_error(*rule.nested, error);
    if (!build_object(*rule.nested, EventView(*whole.element), context, writer, error)) return false;
    writer.end_array();
    return true;
}

// Applies one rule; `wrote` tells whether the field ended up in the object.
bool apply_rule(const FieldRule &rule, const EventView &event, const BuildContext &context, sy::sdk::JsonWriter &writer,
                BuildError &error, bool &wrote) {
    wrote = true;
    if (rule.convert == Convert::kObject) {
        writer.key(rule.dest);
        return build_object(*rule.nested, event, context, writer, error);
    }
    if (rule.convert == Convert::kItems) return write_items(rule, event, context, writer, error);
    if (rule.sources.size() == 1 && rule.sources[0].front() == '$') {
        if (rule.sources[0] == "$catalog.id" && !context.catalog_id) {
            wrote = false;
            return true;
        }
        writer.key(rule.dest);
        return write_supplied(rule.sources[0], context, writer);
    }
    Value value = event.first_present(rule.sources);
    bool always = rule.convert == Convert::kDateMs || rule.convert == Convert::kPlatform;
    if (!value.exists() && !always) {
        wrote = false;
        if (rule.need == Need::kRequired) error.message = missing_value_message(rule.sources);
        return rule.need != Need::kRequired;
    }
    if (rule.convert == Convert::kParseIntIfTruthy && !truthy(value)) {
        wrote = false;
        return true;
    }
    writer.key(rule.dest);
    switch (rule.convert) {
        case Convert::kString: writer.string(js_string(value)); break;
        case Convert::kParseIntIfTruthy:
        case Convert::kParseInt:
        case Convert::kParseFloat:
        case Convert::kDateMs: writer.number(convert_number(rule.convert, value)); break;
        case Convert::kCategories: write_categories(writer, value); break;
        case Convert::kPlatform: writer.string(platform_of(value)); break;
        default: write_json(writer, value); break;
    }
    return true;
}

}  // namespace

std::string missing_value_message(std::span<const std::string_view> sources) {
    std::string list;
    sy::sdk::JsonWriter writer(list);
    if (sources.size() == 1) {
        writer.string(sources[0]);
    } else {
        writer.begin_array();
        for (std::string_view source : sources) writer.string(source);
        writer.end_array();
    }
    return "Missing required value from " + list;
}

bool build_object(const Mapping &mapping, const EventView &event, const BuildContext &context,
                  sy::sdk::JsonWriter &writer, BuildError &error) {
    writer.begin_object();
    bool has_identity = false;
    for (const FieldRule &rule : mapping.fields) {
        bool wrote = false;
        if (!apply_rule(rule, event, context, writer, error, wrote)) return false;
        if (wrote && (rule.dest == "email" || rule.dest == "userId")) has_identity = true;
    }
    if (mapping.requires_email_or_user_id && !has_identity) {
        error.message = "userId or email is mandatory for this request";
        return false;
    }
    writer.end_object();
    return true;
}

}  // namespace iterable
