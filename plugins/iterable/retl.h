// Reverse-ETL identify events (context.mappedToDestination): users vs catalog items, the
// identifier trait rewrite and the catalog URL. SPEC.md §4.1-§4.2.
#pragma once

#include <optional>
#include <string>

#include "event_view.h"

namespace iterable {

struct BuiltEvent;

struct RetlTarget {
    bool is_users = false;
    std::optional<std::string> object_type;  // after "ITERABLE-"; none → the reference's "null"
    std::optional<Element> catalog_id;       // the matching externalId's id
};

// False when the event is not a Reverse-ETL one. For users, also applies SPEC §4.1's
// rewrite: traits (else context.traits) gains <externalId[0].identifierType> = externalId[0].id.
bool resolve_retl(EventView &event, RetlTarget &target);

// <base>catalogs/<objectType>/items, the type percent-encoded so an event cannot steer the path.
std::string catalog_url(const std::string &base_url, const RetlTarget &target);

// The router-mode document: key String(catalogId) ("undefined" when absent), value traits.
void set_catalog_document(const EventView &event, const RetlTarget &target, BuiltEvent &out);

}  // namespace iterable
