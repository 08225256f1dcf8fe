// Read access to one parsed RudderStack event with the reference's lookup rules: dotted
// paths, JavaScript truthiness, "first present" precedence, and the two rewrites the
// reference applies before mapping (sources timestamp, Reverse-ETL identifier trait).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "switchyard/sdk/json_writer.h"

namespace iterable {

using Element = simdjson::dom::element;

// A looked-up value. `extra_key` set: the value is the object `element` (or {} when
// absent) with one more key, as JavaScript's `traits[key] = id` would leave it.
struct Value {
    std::optional<Element> element;
    std::string_view extra_key;
    std::optional<Element> extra_value;
    bool exists() const { return element.has_value() || !extra_key.empty(); }
};

class EventView {
   public:
    explicit EventView(Element root) : root_(root) {}

    // The raw value at a dotted path, honouring the rewrites below.
    Value at(std::string_view dotted_path) const;
    // First value at `paths` that is truthy, false or 0 (so "", null and absent are skipped).
    Value first_present(std::span<const std::string_view> paths) const;

    // Controller rewrite (SPEC 1.1b): `timestamp` reads as this value.
    void override_timestamp(Element value) { timestamp_ = value; }
    // Reverse-ETL users (SPEC 4.1): `<object_path>.<key>` reads as `value`.
    void extend_object(std::string_view object_path, std::string_view key, Element value) {
        extension_path_ = object_path, extension_key_ = key, extension_value_ = value;
    }

    Element root() const { return root_; }

   private:
    Element root_;
    std::optional<Element> timestamp_;
    std::string_view extension_path_, extension_key_;
    std::optional<Element> extension_value_;
};

std::optional<Element> child(Element parent, std::string_view key);
std::optional<Element> at_path(Element root, std::string_view dotted_path);

// The array/object behind an element (empty when it is another type).
simdjson::dom::array as_array(Element value);
simdjson::dom::object as_object(Element value);

bool truthy(Element value);
bool truthy(const Value &value);
// The reference's "present" test for precedence lists: truthy, false or 0.
bool present(Element value);

// String(value) as JavaScript prints it (objects "[object Object]", arrays comma-joined).
void append_js_string(std::string &out, Element value);
std::string js_string(Element value);
std::string js_string(const Value &value);  // absent: "undefined"

// Writes a value as JSON (numbers in JavaScript's shortest form).
void write_json(sy::sdk::JsonWriter &writer, Element value);
void write_json(sy::sdk::JsonWriter &writer, const Value &value);

}  // namespace iterable
