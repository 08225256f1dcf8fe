// Lookups, truthiness, String() and JSON output over simdjson DOM elements (see event_view.h).
#include "event_view.h"

#include <cmath>

namespace iterable {

using simdjson::dom::element_type;

std::optional<Element> child(Element parent, std::string_view key) {
    simdjson::dom::object object;
    if (parent.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
    Element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
}

simdjson::dom::array as_array(Element value) {
    simdjson::dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return {};
    return array;
}

simdjson::dom::object as_object(Element value) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) return {};
    return object;
}

std::optional<Element> at_path(Element root, std::string_view dotted_path) {
    Element current = root;
    while (!dotted_path.empty()) {
        size_t dot = dotted_path.find('.');
        auto next = child(current, dotted_path.substr(0, dot));
        if (!next) return std::nullopt;
        current = *next;
        dotted_path = dot == std::string_view::npos ? std::string_view{} : dotted_path.substr(dot + 1);
    }
    return current;
}

Value EventView::at(std::string_view dotted_path) const {
    if (timestamp_ && dotted_path == "timestamp") return {timestamp_, {}, {}};
    if (!extension_key_.empty()) {
        if (dotted_path == extension_path_) return {at_path(root_, dotted_path), extension_key_, extension_value_};
        if (dotted_path.size() == extension_path_.size() + 1 + extension_key_.size() &&
            dotted_path.substr(0, extension_path_.size()) == extension_path_ &&
            dotted_path[extension_path_.size()] == '.' &&
            dotted_path.substr(extension_path_.size() + 1) == extension_key_)
            return {extension_value_, {}, {}};
    }
    return {at_path(root_, dotted_path), {}, {}};
}

Value EventView::first_present(std::span<const std::string_view> paths) const {
    for (std::string_view path : paths) {
        Value value = at(path);
        if (!value.extra_key.empty()) return value;  // an object: always present
        if (value.element && present(*value.element)) return value;
    }
    return {};
}

bool truthy(Element value) {
    switch (value.type()) {
        case element_type::NULL_VALUE: return false;
        case element_type::BOOL: return value.get_bool().value_unsafe();
        case element_type::INT64: return value.get_int64().value_unsafe() != 0;
        case element_type::UINT64: return value.get_uint64().value_unsafe() != 0;
        case element_type::DOUBLE: {
            double d = value.get_double().value_unsafe();
            return d != 0 && !std::isnan(d);
        }
        case element_type::STRING: return !value.get_string().value_unsafe().empty();
        default: return true;  // objects and arrays, even empty ones
    }
}

bool truthy(const Value &value) {
    if (!value.extra_key.empty()) return true;
    return value.element && truthy(*value.element);
}

bool present(Element value) {
    if (truthy(value)) return true;
    element_type t = value.type();
    return t == element_type::BOOL || t == element_type::INT64 || t == element_type::UINT64 ||
           t == element_type::DOUBLE;
}

void append_js_string(std::string &out, Element value) {
    switch (value.type()) {
        case element_type::NULL_VALUE: out += "null"; return;
        case element_type::BOOL: out += value.get_bool().value_unsafe() ? "true" : "false"; return;
        case element_type::INT64:
            sy::sdk::append_js_number(out, static_cast<double>(value.get_int64().value_unsafe()));
            return;
        case element_type::UINT64:
            sy::sdk::append_js_number(out, static_cast<double>(value.get_uint64().value_unsafe()));
            return;
        case element_type::DOUBLE: sy::sdk::append_js_number(out, value.get_double().value_unsafe()); return;
        case element_type::STRING: out += value.get_string().value_unsafe(); return;
        case element_type::OBJECT: out += "[object Object]"; return;
        case element_type::ARRAY: {
            bool first = true;  // Array.prototype.join(","): null/undefined print as ""
            for (Element item : as_array(value)) {
                if (!first) out += ',';
                first = false;
                if (item.type() != element_type::NULL_VALUE) append_js_string(out, item);
            }
            return;
        }
    }
}

std::string js_string(Element value) {
    std::string out;
    append_js_string(out, value);
    return out;
}

std::string js_string(const Value &value) {
    if (!value.extra_key.empty()) return "[object Object]";
    return value.element ? js_string(*value.element) : "undefined";
}

void write_json(sy::sdk::JsonWriter &writer, Element value) {
    switch (value.type()) {
        case element_type::NULL_VALUE: writer.null(); return;
        case element_type::BOOL: writer.boolean(value.get_bool().value_unsafe()); return;
        case element_type::INT64: writer.int64(value.get_int64().value_unsafe()); return;
        case element_type::UINT64: writer.uint64(value.get_uint64().value_unsafe()); return;
        case element_type::DOUBLE: writer.number(value.get_double().value_unsafe()); return;
        case element_type::STRING: writer.string(value.get_string().value_unsafe()); return;
        case element_type::ARRAY:
            writer.begin_array();
            for (Element item : as_array(value)) write_json(writer, item);
            writer.end_array();
            return;
        case element_type::OBJECT:
            writer.begin_object();
            for (auto field : as_object(value)) {
                writer.key(field.key);
                write_json(writer, field.value);
            }
            writer.end_object();
            return;
    }
}

void write_json(sy::sdk::JsonWriter &writer, const Value &value) {
    if (value.extra_key.empty()) {
        if (value.element) write_json(writer, *value.element);
        else writer.null();
        return;
    }
    writer.begin_object();  // the object with the extra key set (replacing an existing one)
    if (value.element && value.element->is_object()) {
        for (auto field : as_object(*value.element)) {
            if (field.key == value.extra_key) continue;
            writer.key(field.key);
            write_json(writer, field.value);
        }
    }
    if (value.extra_value) {  // assigning undefined leaves no key in JSON
        writer.key(value.extra_key);
        write_json(writer, *value.extra_value);
    }
    writer.end_object();
}

}  // namespace iterable
