// Recognises a pre-built destination request among incoming events (see prebuilt_request.h).
#include "host/ingest/prebuilt_request.h"

#include <string_view>

namespace switchyard::ingest {

constexpr std::string_view kPrebuiltMark = "statusCode";

// Every member, not at_key(): a duplicated member is stored twice, and a plugin may read either.
bool is_prebuilt_request(simdjson::dom::object event) {
    for (const simdjson::dom::key_value_pair field : event)
        if (field.key == kPrebuiltMark) return true;
    return false;
}

}  // namespace switchyard::ingest
