// Who is writing: the write key from HTTP Basic auth, matched against the configured sources.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "host/ingest/ingest_api.h"

namespace switchyard::ingest {

// True when `candidate` equals `secret`. The time taken depends only on the lengths, never
// on where the contents differ.
bool constant_time_equals(std::string_view candidate, std::string_view secret);

// The user name of an `Authorization: Basic base64(user:password)` header: the write key
// (SDKs send an empty password). nullopt when the header is absent, not Basic, or not base64.
std::optional<std::string> basic_auth_user(std::string_view authorization_header);

// The source whose write key is `write_key`, or nullptr. Compares against every source, so
// the time does not reveal which entry (or how much of one) matched. An empty key never matches.
const IngestSource *find_source(const SourceTable &sources, std::string_view write_key);

}  // namespace switchyard::ingest
