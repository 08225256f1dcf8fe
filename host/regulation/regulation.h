// A regulation: suppress and/or delete some users' data at some destinations, as RudderStack's
// regulation API names it, with each destination's progress. Kept durable in the store as the
// JSON record written here (docs/regulations.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::regulation {

enum class Type { suppress, suppress_with_delete, delete_users };

// "suppress", "suppress_with_delete", "delete" (RudderStack's regulationType values).
std::string_view type_name(Type type);
std::optional<Type> type_named(std::string_view name);
bool suppresses(Type type);
bool deletes(Type type);

struct User {
    std::string user_id;  // may be empty for a deletion by email
    std::string email;
    std::string json;     // the whole object as given, what a plugin's delete_users receives
};

// One destination's progress: pending, then done, unsupported (its plugin cannot delete users)
// or failed (with error).
struct Progress {
    std::string state = "pending";
    std::string error;
    uint32_t attempts = 0;        // deletion tries that failed and may be retried
    int64_t first_failure_ms = 0;
    int64_t next_attempt_ms = 0;
    bool jobs_purged = false;     // a suppression's pending jobs are gone
};

struct Regulation {
    int64_t id = 0;
    int64_t created_ms = 0;
    Type type = Type::suppress;
    std::vector<std::string> destination_ids;  // as given; empty: every destination
    std::vector<User> users;
    bool resolved = false;                     // `destinations` holds the keys it applies to
    std::map<std::string, Progress> destinations;  // by key "<workspace>/<destination id>"

    // Whether it names `key` ("<workspace>/<id>"): by the whole key or by the destination id.
    bool names(std::string_view key) const;
    // Whether one given destinationIds entry names `key`.
    static bool entry_names(std::string_view given, std::string_view key);
    // pending until resolved and every destination is settled; then failed if any failed, else done.
    std::string state() const;
};

std::string to_record(const Regulation &regulation);
// Throws std::runtime_error when the record is not one this host wrote.
Regulation from_record(int64_t id, int64_t created_ms, std::string_view record);

}  // namespace switchyard::regulation
