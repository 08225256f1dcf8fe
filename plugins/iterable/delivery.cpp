// Delivery = transport + grading; the only place the plugin does I/O.
#include "delivery.h"

namespace iterable {

std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &client, const sy_request &request) {
    auto out = std::make_unique<sy::SendOutput>();
    const sy::sdk::HttpAnswer answer = client.perform(request);
    grade(sy::view(request.kind), sy::view(request.body), request.event_count, answer, *out);
    return out;
}

}  // namespace iterable
