// Per-event routing and mapping (SPEC.md §3-§7): picks the category, applies the rewrites
// the reference does before mapping, builds the body and any token registration.
#include "transform.h"

#include <array>
#include <cctype>

#include "big_integers.h"
#include "event_view.h"
#include "prebuilt.h"
#include "retl.h"

namespace iterable {
namespace {

struct Route {
    std::string_view type;        // lower-cased message type
    std::string_view event_name;  // lower-cased `event`, "" = any
    const Category *category;
};

// SPEC §3.3; identify may still become a catalog item (retl.h).
const std::array<Route, 8> kRoutes = {{
    {"identify", "", &categories::kIdentify},
    {"track", "order completed", &categories::kPurchase},
    {"track", "product added", &categories::kCart},
    {"track", "product removed", &categories::kCart},
    {"track", "", &categories::kTrack},
    {"page", "", &categories::kPage},
    {"screen", "", &categories::kScreen},
    {"alias", "", &categories::kAlias},
}};

std::string lower(std::string text) {
    for (char &c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

const Category *route(std::string_view type, const EventView &event) {
    std::string event_name;
    if (type == "track") {
        Value name = event.at("event");
        if (name.element && truthy(*name.element)) event_name = lower(js_string(name));
    }
    for (const Route &r : kRoutes)
        if (r.type == type && (r.event_name.empty() || r.event_name == event_name)) return r.category;
    return nullptr;
}

bool fail(BuiltEvent &out, std::string message) {
    out.ok = false;
    out.error = {400, std::move(message)};
    return false;
}

constexpr std::string_view kPageName[] = {"name", "properties.name"};
constexpr std::string_view kPageCategory[] = {"properties.category", "category"};

// SPEC §5.4: the gate, then the event name.
bool page_event_name(const EventView &event, const Settings &s, std::string_view type, std::string &name) {
    bool accepted = s.track_all_pages || (s.track_categorised_pages && truthy(event.first_present(kPageCategory))) ||
                    (s.track_named_pages && truthy(event.first_present(kPageName)));
    if (!accepted) return false;
    if (s.map_to_single_event) name = type == "page" ? "Loaded a Page" : "Loaded a Screen";
    else name = js_string(event.first_present(kPageName)) + " " + std::string(type);
    return true;
}

constexpr std::string_view kSourcesTrackTimestamp[] = {"properties.timestamp", "timestamp", "originalTimestamp"};

// SPEC §1.1(b): for cloud-source ("sources" channel) track events the controller moves the
// event time into `timestamp` before the destination code runs.
void apply_sources_timestamp(EventView &event, std::string_view type) {
    Value channel = event.at("channel");
    if (type != "track" || !channel.element || js_string(channel) != "sources") return;
    if (truthy(event.at("context.mappedToDestination"))) return;
    Value ts = event.first_present(kSourcesTrackTimestamp);
    if (ts.element) event.override_timestamp(*ts.element);
}

void set_user_key(const EventView &event, BuiltEvent &out) {
    Value user = event.at("userId");
    if (!truthy(user)) user = event.at("anonymousId");
    if (truthy(user)) append_js_string(out.user_key, *user.element);
}

const Mapping &mapping_for(const Category &category, const Settings &s) {
    const bool by_message_id = s.event_id_from_message_id && category.id_from_message_id_mapping != nullptr;
    return by_message_id ? *category.id_from_message_id_mapping : *category.mapping;
}

bool build_body(const Category &category, const EventView &event, const BuildContext &context, std::string &body,
                BuiltEvent &out) {
    body.clear();
    sy::sdk::JsonWriter writer(body);
    BuildError error;
    if (build_object(mapping_for(category, context.settings), event, context, writer, error)) return true;
    return fail(out, std::move(error.message));
}

// SPEC §6: registration rides along with a plain (exactly "identify") users/update.
bool add_registration(const EventView &event, std::string_view raw_type, const Settings &s, BuiltEvent &out) {
    if (raw_type != "identify" || out.category != &categories::kIdentify || s.device_api_key.empty()) return true;
    const Category *reg = truthy(event.at("context.device.token")) ? &categories::kDeviceToken
                          : truthy(event.at("context.os.token"))   ? &categories::kBrowserToken
                                                                   : nullptr;
    if (reg == nullptr) return true;
    out.registration = reg;
    out.registration_url = s.base_url + std::string(reg->path);
    return build_body(*reg, event, BuildContext{s, {}, {}}, out.registration_body, out);
}

bool transform_message(EventView &event, const Settings &s, Mode mode, BuiltEvent &out) {
    if (mode == Mode::kRouter && child(event.root(), "statusCode")) return build_prebuilt(event.root(), s, out);
    Value type_value = event.at("type");
    if (!truthy(type_value)) return fail(out, "Event type is required");
    std::string raw_type = js_string(type_value), type = lower(raw_type);
    const Category *category = route(type, event);
    if (category == nullptr) return fail(out, "Message type " + type + " not supported");
    BuildContext context{s, {}, {}};
    std::string page_name;
    if (category == &categories::kPage || category == &categories::kScreen) {
        if (!page_event_name(event, s, type, page_name)) return fail(out, "Invalid " + type + " call");
        context.page_event_name = page_name;
    }
    RetlTarget retl;
    if (category == &categories::kIdentify && resolve_retl(event, retl) && !retl.is_users) {
        category = &categories::kCatalog;
        context.catalog_id = retl.catalog_id;
    }
    apply_sources_timestamp(event, type);
    out.category = category;
    out.url = category == &categories::kCatalog ? catalog_url(s.base_url, retl) : s.base_url + std::string(category->path);
    if (!build_body(*category, event, context, out.body, out)) return false;
    if (category == &categories::kCatalog) set_catalog_document(event, retl, out);
    return add_registration(event, raw_type, s, out);
}

}  // namespace

const std::string &api_key_for(const Category &category, const Settings &settings) {
    return category.key == KeyChoice::kDeviceApiKey ? settings.device_api_key.reveal() : settings.api_key.reveal();
}

void transform_event(simdjson::dom::parser &parser, std::string_view event_json, const Settings &settings, Mode mode,
                     BuiltEvent &out) {
    out.reset();
    Element root;
    auto error = parser.parse(event_json.data(), event_json.size()).get(root);
    // Outlives the if below: `root` points into it. Rare: integers beyond 64 bits, which JavaScript reads as doubles.
    std::string widened;  // cppcheck-suppress variableScope
    if (error == simdjson::NUMBER_ERROR) {
        widened = widen_big_integers(event_json);
        error = parser.parse(widened.data(), widened.size()).get(root);
    }
    if (error) {
        fail(out, std::string("Event is not valid JSON: ") + simdjson::error_message(error));
        return;
    }
    if (!root.is_object()) {
        fail(out, "Event must be a JSON object");
        return;
    }
    EventView event(root);
    set_user_key(event, out);
    out.ok = transform_message(event, settings, mode, out);
}

}  // namespace iterable
