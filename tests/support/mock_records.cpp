// Strict field checks and the recorded end state of the mock Iterable.
#include "mock_records.h"

#include <vector>

namespace switchyard::testing {
namespace {

using json = nlohmann::json;

enum class Kind { string, object, array, number, boolean };

struct FieldRule {
    const char *endpoint;  // "*" applies to every endpoint
    const char *pointer;
    Kind kind;
};

// Field types as Iterable's API describes them.
const FieldRule kFieldRules[] = {
    {"*", "/email", Kind::string},           {"*", "/userId", Kind::string},
    {"*", "/dataFields", Kind::object},      {"*", "/createdAt", Kind::number},
    {"*", "/eventName", Kind::string},       {"*", "/preferUserId", Kind::boolean},
    {"*", "/mergeNestedObjects", Kind::boolean},
    {"users/bulkUpdate", "/users", Kind::array}, {"events/trackBulk", "/events", Kind::array},
    {"commerce/trackPurchase", "/items", Kind::array}, {"commerce/trackPurchase", "/total", Kind::number},
    {"commerce/trackPurchase", "/user", Kind::object}, {"commerce/updateCart", "/items", Kind::array},
    {"commerce/updateCart", "/user", Kind::object}, {"users/updateEmail", "/currentEmail", Kind::string},
    {"users/updateEmail", "/newEmail", Kind::string}, {"users/registerDeviceToken", "/device", Kind::object},
    {"users/registerBrowserToken", "/browserToken", Kind::string},
    {"*", "/user/email", Kind::string},      {"*", "/user/userId", Kind::string},
    {"*", "/user/dataFields", Kind::object}, {"users/updateEmail", "/currentUserId", Kind::string},
    {"catalogs", "/documents", Kind::object},
};

// Fields an endpoint cannot do without (any one of a group).
const std::vector<std::pair<const char *, std::vector<const char *>>> kRequired = {
    {"users/update", {"email", "userId"}},         {"events/track", {"eventName"}},
    {"users/updateEmail", {"newEmail"}},           {"users/updateEmail", {"currentEmail", "currentUserId"}},
    {"catalogs", {"documents"}},           {"commerce/trackPurchase", {"items"}},
    {"commerce/updateCart", {"items"}},            {"users/registerDeviceToken", {"device"}},
    {"users/registerBrowserToken", {"browserToken"}},
};

bool has_kind(const json &v, Kind kind) {
    switch (kind) {
        case Kind::string: return v.is_string();
        case Kind::object: return v.is_object();
        case Kind::array: return v.is_array();
        case Kind::number: return v.is_number();
        case Kind::boolean: return v.is_boolean();
    }
    return false;
}

// Iterable's bulk endpoints fail items whose email has no '@' with something either side of it.
bool valid_email(const json &email) {
    if (!email.is_string()) return false;
    const std::string &e = email.get_ref<const std::string &>();
    const size_t at = e.find('@');
    return at != std::string::npos && at > 0 && at + 1 < e.size();
}

std::string user_key(const json &body) {
    if (body.contains("email") && body["email"].is_string()) return body["email"].get<std::string>();
    if (body.contains("userId") && body["userId"].is_string()) return body["userId"].get<std::string>();
    return "?";
}

// The user moves to its new email: same fields, new key (found by currentEmail or currentUserId).
void update_email(const json &body, json &state) {
    state["email_updates"].push_back(body);
    json &users = state["users"];
    std::string from = body.value("currentEmail", "");
    if (from.empty()) {
        const std::string id = body.value("currentUserId", "");
        for (const auto &[key, user] : users.items())
            if (!id.empty() && user.value("userId", "") == id) from = key;
    }
    const std::string to = body["newEmail"].get<std::string>();
    json user = users.contains(from) ? users[from] : json::object();
    users.erase(from);
    user["email"] = to;
    users[to] = std::move(user);
}

void merge_user(const json &body, json &state) {
    json &user = state["users"][user_key(body)];
    for (const char *key : {"email", "userId"})
        if (body.contains(key)) user[key] = body[key];
    if (body.contains("dataFields")) user["dataFields"].update(body["dataFields"], true);
}

json bulk_answer(size_t ok, const json &invalid_emails, const json &disallowed) {
    return {{"successCount", ok},
            {"failCount", invalid_emails.size() + disallowed.size()},
            {"invalidEmails", invalid_emails},
            {"invalidUserIds", json::array()},
            {"disallowedEventNames", disallowed},
            {"failedUpdates", {{"invalidEmails", invalid_emails}}}};
}

json record_bulk(const std::string &endpoint, const json &body, json &state, const std::set<std::string> &disallowed) {
    const bool users = endpoint == "users/bulkUpdate";
    json invalid = json::array(), refused = json::array();
    size_t ok = 0;
    for (const json &item : body[users ? "users" : "events"]) {
        if (item.contains("email") && !valid_email(item["email"])) {
            invalid.push_back(item["email"]);
        } else if (!users && disallowed.count(item.value("eventName", "")) != 0) {
            refused.push_back(item["eventName"]);
        } else {
            ++ok;
            if (users) merge_user(item, state);
            else state["events"].push_back(item);
        }
    }
    return bulk_answer(ok, invalid, refused);
}

}  // namespace

json error_body(const std::string &code, const std::string &msg) {
    return {{"msg", msg}, {"code", code}, {"params", nullptr}};
}

std::string catalog_name(const std::string &endpoint) {
    const std::string prefix = "catalogs/", suffix = "/items";
    if (endpoint.size() <= prefix.size() + suffix.size() || endpoint.rfind(prefix, 0) != 0 ||
        endpoint.compare(endpoint.size() - suffix.size(), suffix.size(), suffix) != 0)
        return {};
    // httplib hands over the decoded path, so an encoded '/' in a name arrives as '/': keep it.
    return endpoint.substr(prefix.size(), endpoint.size() - prefix.size() - suffix.size());
}

json delete_user(const std::string &user, json &state) {
    json &users = state["users"];
    for (auto it = users.begin(); it != users.end();)
        it = (it.key() == user || it->value("userId", "") == user || it->value("email", "") == user) ? users.erase(it)
                                                                                                       : std::next(it);
    return error_body("Success", "");
}

json empty_state() {
    return {{"users", json::object()},          {"events", json::array()},          {"purchases", json::array()},
            {"carts", json::object()},          {"device_tokens", json::array()},   {"browser_tokens", json::array()},
            {"catalogs", json::object()},       {"email_updates", json::array()},   {"requests", json::array()}};
}

std::optional<Rejection> validate(const std::string &endpoint, const json &body) {
    if (!body.is_object()) return Rejection{"BadJsonBody", "Request body must be a JSON object"};
    // Catalog endpoints carry the catalog's name; their rules are filed under "catalogs".
    const std::string scope = catalog_name(endpoint).empty() ? endpoint : "catalogs";
    for (const FieldRule &rule : kFieldRules) {
        if (std::string(rule.endpoint) != "*" && rule.endpoint != scope) continue;
        const json::json_pointer pointer(rule.pointer);
        if (body.contains(pointer) && !body.at(pointer).is_null() && !has_kind(body.at(pointer), rule.kind))
            return Rejection{"RequestFieldsTypesMismatched", std::string("Invalid type for field ") + (rule.pointer + 1)};
    }
    for (const auto &[path, any_of] : kRequired) {
        if (path != scope) continue;
        bool present = false;
        for (const char *field : any_of) present = present || body.contains(field);
        if (!present) return Rejection{"BadParams", std::string("Missing required field ") + any_of.front()};
    }
    return std::nullopt;
}

json record(const std::string &endpoint, const json &body, json &state, const std::set<std::string> &disallowed) {
    if (endpoint == "users/bulkUpdate" || endpoint == "events/trackBulk") return record_bulk(endpoint, body, state, disallowed);
    if (endpoint == "users/update") merge_user(body, state);
    else if (endpoint == "events/track") state["events"].push_back(body);
    else if (endpoint == "commerce/trackPurchase") state["purchases"].push_back(body);
    else if (endpoint == "commerce/updateCart") state["carts"][user_key(body["user"])] = body["items"];
    else if (endpoint == "users/registerDeviceToken") state["device_tokens"].push_back(body);
    else if (endpoint == "users/registerBrowserToken") state["browser_tokens"].push_back(body);
    else if (endpoint == "users/updateEmail") update_email(body, state);
    else if (!catalog_name(endpoint).empty())
        state["catalogs"][catalog_name(endpoint)].update(body.value("documents", json::object()));
    return error_body("Success", "");
}

}  // namespace switchyard::testing
