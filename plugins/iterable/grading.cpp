// Iterable's part of response grading (the SDK's grading.h maps the status): messages and the
// per-item failures of bulk calls. The messages match RudderStack's reference delivery code, so
// operators moving from it recognise them (conformance: delivery.json).
#include "grading.h"

#include <array>

#include <nlohmann/json.hpp>

#include "categories.h"
#include "switchyard/sdk/grading.h"

namespace iterable {
namespace {

using Json = nlohmann::ordered_json;  // keeps Iterable's key order when echoing its answer

// The lists Iterable fills for bulk calls, in the reference's order, named as the reference
// names them in messages (a dot goes one object down).
constexpr std::array<std::string_view, 6> kEmailLists = {
    "invalidEmails",
    "failedUpdates.invalidEmails",
    "failedUpdates.notFoundEmails",
    "failedUpdates.forgottenEmails",
    "failedUpdates.conflictEmails",
    "failedUpdates.invalidDataEmails",
};
constexpr std::array<std::string_view, 6> kUserIdLists = {
    "invalidUserIds",
    "failedUpdates.invalidUserIds",
    "failedUpdates.notFoundUserIds",
    "failedUpdates.forgottenUserIds",
    "failedUpdates.conflictUserIds",
    "failedUpdates.invalidDataUserIds",
};
constexpr std::array<std::string_view, 1> kEventNameLists = {"disallowedEventNames"};

// The value at a dotted path of object members, or nullptr.
const Json *at_path(const Json &answer, std::string_view path) {
    for (const Json *value = &answer;;) {
        const size_t dot = path.find('.');
        if (!value->is_object()) return nullptr;
        auto it = value->find(std::string(path.substr(0, dot)));
        if (it == value->end()) return nullptr;
        value = &*it;
        if (dot == std::string_view::npos) return value;
        path.remove_prefix(dot + 1);
    }
}

bool is_bulk(std::string_view kind) {
    return kind == bulk_call(Bucket::kUsers).rate_key || kind == bulk_call(Bucket::kEvents).rate_key;
}

// `field error:"<value>" in "<list,list>".` when the item's field is named in any list.
template <size_t N>
std::string item_error(const Json &item, const char *field, const Json &answer,
                       const std::array<std::string_view, N> &lists) {
    auto it = item.find(field);
    if (it == item.end() || !it->is_string() || it->get_ref<const std::string &>().empty()) return {};
    std::string in;
    for (std::string_view list : lists) {
        const Json *values = at_path(answer, list);
        if (values != nullptr && values->is_array() && std::find(values->begin(), values->end(), *it) != values->end())
            in += (in.empty() ? "" : ",") + std::string(list);
    }
    if (in.empty()) return {};
    // Written as the reference's template literal does: the raw value between quotes.
    return std::string(field) + " error:\"" + it->get<std::string>() + "\" in \"" + in + "\".";
}

// Per-item outcomes of a 2xx bulk answer, aligned with the request's items.
void grade_bulk_items(std::string_view request_body, size_t event_count, const Json &answer, sy::SendOutput &out) {
    if (answer.is_object() && answer.value("failCount", Json(-1)) == Json(0)) return;  // all succeeded
    const Json request = Json::parse(request_body, nullptr, false);
    const Json *items = nullptr;
    for (const char *key : {"events", "users"})
        if (request.is_object() && request.contains(key) && request[key].is_array()) items = &request[key];
    if (items == nullptr || !answer.is_object()) return;
    out.events.assign(event_count, sy::EventOutcome{SY_OK, 200, {}});
    for (size_t i = 0; i < event_count && i < items->size(); ++i) {
        const Json &item = (*items)[i];
        if (!item.is_object()) continue;
        std::string why = item_error(item, "userId", answer, kUserIdLists) +
                          item_error(item, "email", answer, kEmailLists) +
                          item_error(item, "eventName", answer, kEventNameLists);
        if (!why.empty()) out.events[i] = {SY_ABORT, 400, std::move(why)};
    }
}

// The reference's detail: the first of params, msg, message, as JSON text.
std::string error_detail(const Json &answer) {
    if (answer.is_object())
        for (const char *key : {"params", "msg", "message"})
            if (auto it = answer.find(key); it != answer.end() && !it->is_null()) return it->dump();
    return "unknown error format";
}

}  // namespace

void grade(std::string_view kind, std::string_view request_body, size_t event_count,
           const sy::sdk::HttpAnswer &answer, sy::SendOutput &out) {
    sy::sdk::grade_status(answer, out);
    if (answer.status == 0) {
        out.message = "ITERABLE: no answer from Iterable (" + answer.transport_error + ")";
        return;
    }
    const Json parsed = Json::parse(answer.body, nullptr, false);
    if (out.outcome == SY_OK) {
        if (is_bulk(kind)) grade_bulk_items(request_body, event_count, parsed, out);
        return;
    }
    out.message = "ITERABLE: Error transformer proxy during ITERABLE response transformation. " + error_detail(parsed);
    // Each event carries Iterable's whole answer, as the reference reports it; an empty answer
    // (a proxy's bare 502) would leave the event without a reason, so it gets the request's.
    const std::string body = parsed.is_discarded() ? answer.body : parsed.dump();
    out.events.assign(event_count, sy::EventOutcome{out.outcome, out.http_status, body.empty() ? out.message : body});
}

}  // namespace iterable
