// What the per-destination delivery decision reads of an event (host/filtering), taken from
// ingestion's own parse so that no event is parsed twice.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

#include "host/filtering/delivery_filter.h"
#include "host/ingest/normalize.h"

namespace switchyard::ingest {

// `context` is the event's own `context` member; a batch's context counts for the keys the
// event's lacks, as normalisation merges them.
filtering::EventFacts event_facts(std::string_view type, simdjson::dom::object event,
                                  const std::optional<simdjson::dom::element> &context, const BatchDefaults *batch);

}  // namespace switchyard::ingest
