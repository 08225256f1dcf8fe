// Reading a regulation request (see regulation_request.h).
#include "host/regulation/regulation_request.h"

#include <nlohmann/json.hpp>

namespace switchyard::regulation {
namespace {

using nlohmann::json;

std::string string_member(const json &object, const char *name) {
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Why user `index` is unacceptable, or "".
std::string user_problem(const json &user, size_t index, Type type) {
    const std::string where = "users[" + std::to_string(index) + "]";
    if (!user.is_object()) return where + " must be an object.";
    for (const char *name : {"userId", "email"})
        if (user.contains(name) && !user[name].is_string()) return where + "." + name + " must be a string.";
    if (string_member(user, "userId").empty() && (suppresses(type) || string_member(user, "email").empty()))
        return where + (suppresses(type) ? " needs a non-empty \"userId\": a suppression matches events by userId."
                                         : " needs a non-empty \"userId\" or \"email\".");
    return {};
}

std::string destination_ids(const json &body, Regulation &out) {
    auto it = body.find("destinationIds");
    if (it == body.end() || it->is_null()) return {};
    if (!it->is_array()) return "\"destinationIds\" must be an array of destination ids.";
    for (const json &id : *it) {
        if (!id.is_string() || id.get<std::string>().empty())
            return "\"destinationIds\" must hold non-empty strings (\"<destination id>\" or \"<workspace>/<destination id>\").";
        out.destination_ids.push_back(id.get<std::string>());
    }
    return {};
}

std::string users(const json &body, Regulation &out) {
    auto it = body.find("users");
    if (it == body.end() || !it->is_array() || it->empty()) return "\"users\" must be a non-empty array of users.";
    if (it->size() > kMaxUsersPerRegulation)
        return "\"users\" holds " + std::to_string(it->size()) + " users, more than the " +
               std::to_string(kMaxUsersPerRegulation) + " one regulation may name.";
    for (size_t i = 0; i < it->size(); ++i) {
        const json &user = (*it)[i];
        if (std::string why = user_problem(user, i, out.type); !why.empty()) return why;
        out.users.push_back({string_member(user, "userId"), string_member(user, "email"), user.dump()});
    }
    return {};
}

}  // namespace

RequestRead read_request(std::string_view body) {
    RequestRead read;
    const json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        read.error = "The body must be a JSON object with \"regulationType\" and \"users\".";
        return read;
    }
    const std::optional<Type> type = type_named(string_member(parsed, "regulationType"));
    if (!type) {
        read.error = "\"regulationType\" must be \"suppress\", \"suppress_with_delete\" or \"delete\".";
        return read;
    }
    read.regulation.type = *type;
    read.error = destination_ids(parsed, read.regulation);
    if (read.error.empty()) read.error = users(parsed, read.regulation);
    return read;
}

}  // namespace switchyard::regulation
