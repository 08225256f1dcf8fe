// Compact JSON writer over simdjson's DOM, so the host never holds a second JSON library's
// tree on the ingest path.
#include "host/ingest/dom_json.h"

#include <charconv>

#include "host/json/json_text.h"

namespace switchyard::ingest {
namespace {

template <typename Number>
void append_number(std::string &out, Number number) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);
    out.append(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
}

}  // namespace

void append_json(std::string &out, simdjson::dom::object object) {
    out += '{';
    bool first = true;
    for (const simdjson::dom::key_value_pair field : object) {
        if (!first) out += ',';
        first = false;
        json::append_string(out, field.key);
        out += ':';
        append_json(out, field.value);
    }
    out += '}';
}

namespace {

void append_array(std::string &out, simdjson::dom::array array) {
    out += '[';
    bool first = true;
    for (const simdjson::dom::element item : array) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
    }
    out += ']';
}

}  // namespace

void append_json(std::string &out, simdjson::dom::element value) {
    using simdjson::dom::element_type;
    switch (value.type()) {
        case element_type::OBJECT: append_json(out, value.get_object().value_unsafe()); break;
        case element_type::ARRAY: append_array(out, value.get_array().value_unsafe()); break;
        case element_type::STRING: json::append_string(out, value.get_string().value_unsafe()); break;
        case element_type::INT64: append_number(out, value.get_int64().value_unsafe()); break;
        case element_type::UINT64: append_number(out, value.get_uint64().value_unsafe()); break;
        case element_type::DOUBLE: append_number(out, value.get_double().value_unsafe()); break;
        case element_type::BOOL: out += value.get_bool().value_unsafe() ? "true" : "false"; break;
        case element_type::NULL_VALUE: out += "null"; break;
    }
}

std::string scalar_text(simdjson::dom::element value) {
    std::string out;
    if (value.is_string()) return std::string(value.get_string().value_unsafe());
    if (value.is_number()) append_json(out, value);
    return out;
}

}  // namespace switchyard::ingest
