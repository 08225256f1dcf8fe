// Processor mode: each event's own requests (main, then any registration), in input order.
// Router mode: the same events fed to RouterBatcher.
#include "transform_call.h"

#include "batch.h"
#include "transform.h"

namespace iterable {
namespace {

void emit_processor(const Settings &settings, uint32_t index, BuiltEvent &event, sy::TransformOutput &output) {
    const Category &category = *event.category;
    output.add(make_request(settings, category, std::move(event.url), std::move(event.body), {index},
                            category.rate_key));
    if (event.registration != nullptr)
        output.add(make_request(settings, *event.registration, std::move(event.registration_url),
                                std::move(event.registration_body), {index}, event.registration->rate_key));
}

}  // namespace

std::unique_ptr<sy::TransformOutput> transform_events(const Settings &settings, sy::sdk::ParserPool &parsers,
                                                      const sy_borrowed_str *events, size_t count,
                                                      uint32_t max_events_per_request) {
    auto output = std::make_unique<sy::TransformOutput>();
    const sy::sdk::ParserPool::Lease parser = parsers.borrow();
    Mode mode = max_events_per_request > 1 ? Mode::kRouter : Mode::kProcessor;
    RouterBatcher batcher(settings, max_events_per_request, *output);
    BuiltEvent event;
    for (size_t i = 0; i < count; ++i) {
        uint32_t index = static_cast<uint32_t>(i);
        transform_event(*parser, sy::view(events[i]), settings, mode, event);
        if (!event.ok) output->add_error(index, SY_ABORT, event.error.status, std::move(event.error.message));
        else if (mode == Mode::kRouter) batcher.add(index, event);
        else emit_processor(settings, index, event, *output);
    }
    batcher.finish();
    return output;
}

}  // namespace iterable
