// Reverse-ETL identify handling (see retl.h).
#include "retl.h"

#include <cctype>

#include "transform.h"

namespace iterable {
namespace {

constexpr std::string_view kTypePrefix = "ITERABLE-";

void append_path_segment(std::string &out, std::string_view segment) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : segment) {
        bool unreserved = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
}

}  // namespace

bool resolve_retl(EventView &event, RetlTarget &target) {
    if (!truthy(event.at("context.mappedToDestination"))) return false;
    Value external_ids = event.at("context.externalId");
    if (external_ids.element && external_ids.element->is_array()) {
        // The last entry whose type contains "ITERABLE-" wins; its type minus that prefix
        // (first occurrence, as String.replace) is the object type.
        for (Element entry : as_array(*external_ids.element)) {
            auto type = child(entry, "type");
            if (!type || !type->is_string()) continue;
            std::string_view text = type->get_string().value_unsafe();
            size_t at = text.find(kTypePrefix);
            if (at == std::string_view::npos) continue;
            target.object_type = std::string(text.substr(0, at)) + std::string(text.substr(at + kTypePrefix.size()));
            target.catalog_id = child(entry, "id");
        }
    }
    target.is_users = target.object_type == "users";
    if (!target.is_users) return true;
    auto first = at_path(event.root(), "context.externalId");
    simdjson::dom::array entries;
    if (!first || first->get_array().get(entries) != simdjson::SUCCESS || entries.size() == 0) return true;
    Element entry = entries.at(0).value_unsafe();
    auto identifier_type = child(entry, "identifierType");
    auto id = child(entry, "id");
    if (!identifier_type || !identifier_type->is_string() || !id) return true;
    std::string_view object_path = event.at("traits").element ? "traits"
                                   : event.at("context.traits").element ? "context.traits"
                                                                        : "traits";
    event.extend_object(object_path, identifier_type->get_string().value_unsafe(), *id);
    return true;
}

std::string catalog_url(const std::string &base_url, const RetlTarget &target) {
    std::string url = base_url + "catalogs/";
    append_path_segment(url, target.object_type ? std::string_view(*target.object_type) : "null");
    return url + "/items";
}

void set_catalog_document(const EventView &event, const RetlTarget &target, BuiltEvent &out) {
    out.catalog_key = target.catalog_id ? js_string(*target.catalog_id) : "undefined";
    out.catalog_document.clear();
    sy::sdk::JsonWriter writer(out.catalog_document);
    write_json(writer, event.at("traits"));
    out.has_catalog_document = true;
}

}  // namespace iterable
