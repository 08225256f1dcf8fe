// Delivery = transport + grading; the only place the plugin does I/O.
#include "delivery.h"

#include "user_deletion.h"

namespace iterable {

std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &client, const sy_request &request) {
    auto out = std::make_unique<sy::SendOutput>();
    const sy::sdk::HttpAnswer answer = client.perform(request);
    if (sy::view(request.kind) == kUserDeletionKind) {
        grade_user_deletion(request, answer, *out);
        return out;
    }
    grade(sy::view(request.kind), sy::view(request.body), request.event_count, answer, *out);
    return out;
}

}  // namespace iterable
