// Classifies an already-built request by its endpoint (see prebuilt.h).
#include "prebuilt.h"

#include <array>

#include "endpoints.h"
#include "transform.h"

namespace iterable {
namespace {

struct PrebuiltRoute {
    std::string_view path;  // relative to the base; "catalogs/" is a prefix
    const Category *category;
};

const std::array<PrebuiltRoute, 9> kPrebuiltRoutes = {{
    {"users/update", &categories::kIdentify},
    {"events/track", &categories::kTrack},
    {"commerce/trackPurchase", &categories::kPurchase},
    {"commerce/updateCart", &categories::kCart},
    {"users/updateEmail", &categories::kAlias},
    {"users/registerDeviceToken", &categories::kDeviceToken},
    {"users/registerBrowserToken", &categories::kBrowserToken},
    {"catalogs/", &categories::kCatalog},
    {"events/trackBulk", &categories::kTrack},
}};

// The path of `url` below one of the accepted base URLs, or nullopt.
std::optional<std::string_view> relative_path(std::string_view url, const Settings &settings) {
    auto strip = [&](std::string_view base) -> std::optional<std::string_view> {
        if (url.substr(0, base.size()) == base) return url.substr(base.size());
        return std::nullopt;
    };
    if (auto rel = strip(settings.base_url)) return rel;
    for (const DataCenterBase &row : data_center_bases())
        if (auto rel = strip(row.base_url)) return rel;
    return std::nullopt;
}

bool refuse(BuiltEvent &out, std::string message) {
    out.error = {400, std::move(message)};
    return false;
}

void set_prebuilt_catalog_document(Element json_body, BuiltEvent &out) {
    auto id = child(json_body, "catalogId");
    auto update = child(json_body, "update");
    if (!update) return;  // the reference ends up with "documents": {} here
    out.catalog_key = id ? js_string(*id) : "undefined";
    sy::sdk::JsonWriter writer(out.catalog_document);
    write_json(writer, *update);
    out.has_catalog_document = true;
}

}  // namespace

bool build_prebuilt(Element message, const Settings &settings, BuiltEvent &out) {
    auto endpoint = child(message, "endpoint");
    if (!endpoint || !endpoint->is_string()) return refuse(out, "Pre-built request has no endpoint");
    std::string_view url = endpoint->get_string().value_unsafe();
    auto rel = relative_path(url, settings);
    if (!rel) return refuse(out, "Pre-built request endpoint is not an Iterable API URL");
    for (const PrebuiltRoute &route : kPrebuiltRoutes) {
        bool prefix = route.path.back() == '/';
        if (prefix ? rel->substr(0, route.path.size()) != route.path : *rel != route.path) continue;
        out.category = route.category;
        out.url = std::string(url);
        auto json_body = at_path(message, "body.JSON");
        if (route.category == &categories::kCatalog) {
            if (json_body) set_prebuilt_catalog_document(*json_body, out);
            return true;
        }
        sy::sdk::JsonWriter writer(out.body);
        if (json_body) write_json(writer, *json_body);
        else writer.begin_object(), writer.end_object();
        return true;
    }
    return refuse(out, "Pre-built request endpoint " + std::string(*rel) + " is not supported");
}

}  // namespace iterable
