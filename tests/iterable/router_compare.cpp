// Router-mode comparison, a port of compare.py's router rules: per event item, per batch
// the registration/catalog extras, and the invariants (per-user order, limits, no empty batch).
#include <algorithm>
#include <map>

#include "conformance_support.h"

namespace iterable_test {
namespace {

// Numbers compare by value (1 == 1.0): make every number a double before dumping.
json by_value(const json &v) {
    if (v.is_number()) return json(v.get<double>());
    if (v.is_array()) {
        json out = json::array();
        for (const json &x : v) out.push_back(by_value(x));
        return out;
    }
    if (v.is_object()) {
        json out = json::object();
        for (const auto &[k, x] : v.items()) out[k] = by_value(x);
        return out;
    }
    return v;
}

std::string canon_request(const json &r) {
    return by_value({{"method", r["method"]}, {"endpoint", r["endpoint"]}, {"key", key_value(r["headers"])},
                     {"body", r["body"]}}).dump();
}

bool ends_with(const std::string &s, const std::string &suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Items {
    std::map<size_t, std::string> per;
    std::vector<std::string> extras;
    std::string problem;
};

Items items_of(const json &entry) {
    Items out;
    const json indexes = entry.contains("indexes") ? entry["indexes"] : json::array();
    if (entry.contains("error") || entry["status"] != 200) {
        for (const json &i : indexes)
            out.per[i.get<size_t>()] = json::array({"error", entry["status"], entry["error"]}).dump();
        return out;
    }
    std::vector<json> requests;
    const json all_requests = entry.contains("requests") ? entry["requests"] : json::array();
    for (const json &r : all_requests) {
        if (r["endpoint"].get<std::string>().find("/users/register") != std::string::npos) out.extras.push_back(canon_request(r));
        else requests.push_back(r);
    }
    if (all_requests.empty()) out.problem = "an output entry with no request";
    if (requests.empty()) return out;
    const json &main = requests[0];
    const std::string endpoint = main["endpoint"];
    const json &body = main["body"];
    if (ends_with(endpoint, "users/bulkUpdate") || ends_with(endpoint, "events/trackBulk")) {
        const char *kind = ends_with(endpoint, "users/bulkUpdate") ? "users" : "events";
        json items = body.contains(kind) ? body[kind] : json::array();
        if (items.empty()) out.problem = "empty bulk batch at " + endpoint;
        else if (items.size() != indexes.size()) out.problem = std::to_string(items.size()) + " items but " +
                                                               std::to_string(indexes.size()) + " indexes";
        else
            for (size_t k = 0; k < items.size(); ++k)
                out.per[indexes[k].get<size_t>()] = by_value(json::array({endpoint, key_value(main["headers"]), items[k]})).dump();
        for (size_t k = 1; k < requests.size(); ++k) out.extras.push_back(canon_request(requests[k]));
    } else if (endpoint.find("/catalogs/") != std::string::npos) {
        const json documents = body.contains("documents") ? body["documents"] : json::object();
        for (const auto &[id, doc] : documents.items())
            out.extras.push_back(by_value(json::array({"catalog", id, doc})).dump());
        for (const json &i : indexes) out.per[i.get<size_t>()] = "[\"catalog-member\"]";
    } else {
        if (indexes.size() != 1) out.problem = "unbatched request carrying " + std::to_string(indexes.size()) + " events";
        else out.per[indexes[0].get<size_t>()] = canon_request(main);
        for (size_t k = 1; k < requests.size(); ++k) out.extras.push_back(canon_request(requests[k]));
    }
    return out;
}

struct Collected {
    std::map<size_t, std::string> per;
    std::map<size_t, std::vector<std::string>> extras;  // batch → sorted extras
    std::vector<size_t> order;
};

void check_limits(const json &entry, std::vector<std::string> &problems) {
    const json &requests = entry["requests"];
    if (requests.empty()) return;
    const json &body = requests[0]["body"];
    for (const char *kind : {"users", "events"}) {
        if (!body.contains(kind) || !body[kind].is_array()) continue;
        if (body[kind].size() > 1000) problems.push_back("bulk batch of " + std::to_string(body[kind].size()) + " items");
        size_t bytes = 0;
        for (const json &item : body[kind]) bytes += item.dump(-1, ' ', true).size();  // as json.dumps (ASCII)
        if (bytes > 4'000'000) problems.push_back("bulk batch of " + std::to_string(bytes) + " bytes");
    }
}

Collected collect(const std::vector<json> &lines, size_t batch_size, std::vector<std::string> *problems) {
    Collected c;
    for (const json &entry : lines) {
        const json indexes = entry.contains("indexes") ? entry["indexes"] : json::array();
        Items items = items_of(entry);
        if (problems && !items.problem.empty()) problems->push_back(items.problem);
        for (auto &[i, v] : items.per) {
            if (problems && c.per.count(i)) problems->push_back("event " + std::to_string(i) + " carried twice");
            c.per[i] = v;
        }
        size_t min_index = SIZE_MAX;
        for (const json &i : indexes) min_index = std::min(min_index, i.get<size_t>());
        size_t batch = entry.contains("batch") && entry["batch"].is_number_integer() ? entry["batch"].get<size_t>()
                                                                                      : (min_index == SIZE_MAX ? 0 : min_index / batch_size);
        for (std::string &x : items.extras) c.extras[batch].push_back(std::move(x));
        if (problems && !entry.contains("error")) {
            for (const json &i : indexes) c.order.push_back(i.get<size_t>());
            check_limits(entry, *problems);
        }
    }
    for (auto &[_, extras] : c.extras) std::sort(extras.begin(), extras.end());
    return c;
}

std::string user_of(const json &message) {
    for (const char *field : {"userId", "anonymousId"}) {
        if (!message.contains(field)) continue;
        const json &v = message[field];
        bool truthy = !(v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_boolean() && !v.get<bool>()) ||
                        (v.is_number() && v.get<double>() == 0));
        if (truthy) return v.dump();
    }
    return "";
}

}  // namespace

RouterComparison compare_router(const std::vector<json> &expected, const std::vector<json> &actual,
                                const std::vector<json> &messages, size_t batch_size,
                                const std::vector<std::string> *destinations) {
    RouterComparison result;
    result.total = messages.size();
    Collected want = collect(expected, batch_size, nullptr);
    Collected got = collect(actual, batch_size, &result.invariant_problems);
    for (size_t i = 0; i < messages.size(); ++i) {
        auto w = want.per.find(i), g = got.per.find(i);
        std::string ws = w == want.per.end() ? "None" : w->second, gs = g == got.per.end() ? "None" : g->second;
        if (ws != gs) result.event_mismatches.push_back("event " + std::to_string(i) + ": item differs:\n   want " +
                                                         ws.substr(0, 700) + "\n   got  " + gs.substr(0, 700));
    }
    std::map<size_t, bool> batches;
    for (auto &[b, _] : want.extras) batches[b] = true;
    for (auto &[b, _] : got.extras) batches[b] = true;
    for (auto &[b, _] : batches)
        if (want.extras[b] != got.extras[b])
            result.batch_mismatches.push_back("batch " + std::to_string(b) + ": registration/catalog requests differ");
    std::map<std::string, std::vector<size_t>> per_user;
    for (size_t i : got.order) {
        std::string scope = destinations != nullptr && i < destinations->size() ? (*destinations)[i] + " " : "";
        per_user[scope + (i < messages.size() ? user_of(messages[i]) : "")].push_back(i);
    }
    for (auto &[user, indexes] : per_user)
        if (!std::is_sorted(indexes.begin(), indexes.end()))
            result.invariant_problems.push_back("user " + user + ": events leave out of order");
    return result;
}

}  // namespace iterable_test
