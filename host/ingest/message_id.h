// Fresh message ids for events that arrive without one.
#pragma once

#include <string>

namespace switchyard::ingest {

// A random UUID version 4 (RFC 4122), lower-case: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
// Thread-safe; each thread draws from its own generator seeded from the OS.
std::string new_message_id();

}  // namespace switchyard::ingest
