// Iterable's part of user deletion (the ABI's delete_users): one DELETE per user, as
// rudder-transformer's src/v0/destinations/iterable/deleteUsers.js does, and the grading of
// Iterable's answer to it.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "settings.h"
#include "switchyard/plugin.hpp"
#include "switchyard/sdk/http_client.h"

namespace iterable {

// The kind of every deletion request; send() grades it with grade_user_deletion.
inline constexpr std::string_view kUserDeletionKind = "users/delete";

// users[i] is a JSON object. A user with a `userId` gets DELETE <base>users/byUserId/<userId>
// (the reference); one with only an `email` gets DELETE <base>users/<email> (the reference drops
// such a user; erasing nothing is worse for an erasure request). Others are SY_SKIPPED. Without
// an api key every user is SY_ABORT "api key for deletion not present", as the reference says.
std::unique_ptr<sy::TransformOutput> build_user_deletions(const Settings &settings, const sy_borrowed_str *users,
                                                          size_t user_count);

// 2xx and 404 (already gone) → OK, as the reference; 400 (e.g. the user does not exist) →
// ABORT "User deletion request failed for userIds : [...]"; 429 → THROTTLED; 5xx and no answer
// → RETRY; other 4xx → ABORT "User deletion request failed : <Iterable's msg>".
void grade_user_deletion(const sy_request &request, const sy::sdk::HttpAnswer &answer, sy::SendOutput &out);

}  // namespace iterable
