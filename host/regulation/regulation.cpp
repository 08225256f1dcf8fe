// A regulation's names, targets, state and stored record (see regulation.h).
#include "host/regulation/regulation.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace switchyard::regulation {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Type, std::string_view>, 3> kTypeNames = {{
    {Type::suppress, "suppress"},
    {Type::suppress_with_delete, "suppress_with_delete"},
    {Type::delete_users, "delete"},
}};

json progress_json(const Progress &p) {
    return {{"state", p.state}, {"error", p.error}, {"attempts", p.attempts}, {"first_failure_ms", p.first_failure_ms},
            {"next_attempt_ms", p.next_attempt_ms}, {"jobs_purged", p.jobs_purged}};
}

Progress progress_from(const json &j) {
    return {j.at("state").get<std::string>(), j.at("error").get<std::string>(), j.at("attempts").get<uint32_t>(),
            j.at("first_failure_ms").get<int64_t>(), j.at("next_attempt_ms").get<int64_t>(),
            j.at("jobs_purged").get<bool>()};
}

}  // namespace

std::string_view type_name(Type type) {
    for (const auto &[t, name] : kTypeNames)
        if (t == type) return name;
    return "";
}

std::optional<Type> type_named(std::string_view name) {
    for (const auto &[t, n] : kTypeNames)
        if (n == name) return t;
    return std::nullopt;
}

bool suppresses(Type type) { return type != Type::delete_users; }
bool deletes(Type type) { return type != Type::suppress; }

bool Regulation::entry_names(std::string_view given, std::string_view key) {
    return given == key || given == key.substr(key.find('/') + 1);
}

bool Regulation::names(std::string_view key) const {
    return destination_ids.empty() ||
           std::any_of(destination_ids.begin(), destination_ids.end(),
                       [&](const std::string &given) { return entry_names(given, key); });
}

std::string Regulation::state() const {
    if (!resolved) return "pending";
    bool failed = false;
    for (const auto &[key, progress] : destinations) {
        if (progress.state == "pending") return "pending";
        failed = failed || progress.state == "failed";
    }
    return failed ? "failed" : "done";
}

std::string to_record(const Regulation &r) {
    json users = json::array();
    for (const User &u : r.users) users.push_back(json::parse(u.json));
    json destinations = json::object();
    for (const auto &[key, progress] : r.destinations) destinations[key] = progress_json(progress);
    return json{{"regulationType", type_name(r.type)}, {"destinationIds", r.destination_ids}, {"users", users},
                {"resolved", r.resolved}, {"destinations", destinations}}
        .dump();
}

Regulation from_record(int64_t id, int64_t created_ms, std::string_view record) {
    try {
        const json j = json::parse(record);
        Regulation r;
        r.id = id;
        r.created_ms = created_ms;
        r.type = type_named(j.at("regulationType").get<std::string>()).value();
        r.destination_ids = j.at("destinationIds").get<std::vector<std::string>>();
        for (const json &u : j.at("users"))
            r.users.push_back({u.value("userId", ""), u.value("email", ""), u.dump()});
        r.resolved = j.at("resolved").get<bool>();
        for (const auto &[key, progress] : j.at("destinations").items()) r.destinations[key] = progress_from(progress);
        return r;
    } catch (const std::exception &e) {
        throw std::runtime_error("Regulation " + std::to_string(id) + " in the store is unreadable: " + e.what());
    }
}

}  // namespace switchyard::regulation
