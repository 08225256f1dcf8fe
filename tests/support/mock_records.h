// What the mock Iterable checks in a request body and what it records when it accepts one.
#pragma once

#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace switchyard::testing {

struct Rejection {
    std::string code;  // Iterable's error code, e.g. "RequestFieldsTypesMismatched"
    std::string msg;
};

// Checks field types and required fields of `endpoint` (path under /api/, e.g. "users/update").
std::optional<Rejection> validate(const std::string &endpoint, const nlohmann::json &body);

// Records an accepted body into `state` and returns Iterable's success answer (bulk endpoints:
// counts and failure lists; malformed emails and disallowed event names fail their item).
nlohmann::json record(const std::string &endpoint, const nlohmann::json &body, nlohmann::json &state,
                      const std::set<std::string> &disallowed_events);

// Iterable's error answer: {"msg", "code", "params": null}.
nlohmann::json error_body(const std::string &code, const std::string &msg);

// The catalog named by "catalogs/<name>/items", or "" for any other endpoint.
std::string catalog_name(const std::string &endpoint);

// DELETE users/byUserId/<id> or users/<email>: forgets every user with that userId or email.
nlohmann::json delete_user(const std::string &user, nlohmann::json &state);

// An empty state: users, events, purchases, carts, device_tokens, browser_tokens, catalogs,
// email_updates and requests.
nlohmann::json empty_state();

}  // namespace switchyard::testing
