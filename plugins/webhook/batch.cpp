// Events → webhook requests (see batch.h). Event texts are copied as they came, never parsed
// into a tree and written again, so a receiver gets the host's bytes.
#include "batch.h"

#include <algorithm>
#include <string>
#include <vector>

#include "request_limits.h"

namespace webhook {
namespace {

constexpr uint32_t kBadRequest = 400;
constexpr uint32_t kTooLarge = 413;

// Why an event cannot go out, or "" when it is a JSON object.
std::string event_problem(sy::sdk::ParserPool &parsers, std::string_view text) {
    auto parser = parsers.borrow();
    simdjson::dom::element event;
    if ((*parser).parse(text.data(), text.size()).get(event) != simdjson::SUCCESS) return "Event is not valid JSON.";
    if (!event.is_object()) return "Event is not a JSON object; a webhook request carries only JSON objects.";
    return "";
}

// Consecutive events bound for one request.
class OpenBatch {
   public:
    OpenBatch(const Settings &settings, uint32_t capacity) : settings_(settings), capacity_(capacity) {}

    bool empty() const { return texts_.empty(); }
    bool full() const { return texts_.size() == capacity_; }
    // The body's size with `text` added: a lone object, or "[" texts joined by "," "]".
    uint64_t bytes_with(std::string_view text) const {
        if (capacity_ == 1) return text.size();
        return bytes_ + text.size() + (texts_.empty() ? 2 : 1);
    }
    void add(uint32_t index, std::string_view text) {
        bytes_ = bytes_with(text);
        texts_.push_back(text);
        indexes_.push_back(index);
    }
    // Moves the batch into `out` as one request and starts empty.
    void flush(sy::TransformOutput &out) {
        if (texts_.empty()) return;
        sy::Request request;
        request.kind = kRequestKind;
        request.method = settings_.method;
        request.url = settings_.url.reveal();
        request.headers.push_back({"Content-Type", "application/json"});
        for (const ConfiguredHeader &header : settings_.headers) request.headers.push_back({header.name, header.value.reveal()});
        request.body = body();
        request.event_indexes = std::move(indexes_);
        if (settings_.requests_per_second) request.rate_key = kRateKey;
        out.add(std::move(request));
        texts_.clear();
        indexes_.clear();
        bytes_ = 0;
    }

   private:
    std::string body() const {
        if (capacity_ == 1) return std::string(texts_.front());
        std::string out;
        out.reserve(bytes_);
        out += '[';
        for (size_t i = 0; i < texts_.size(); ++i) {
            if (i > 0) out += ',';
            out += texts_[i];
        }
        out += ']';
        return out;
    }

    const Settings &settings_;
    const uint32_t capacity_;
    std::vector<std::string_view> texts_;  // borrowed from the call's events
    std::vector<uint32_t> indexes_;
    uint64_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<sy::TransformOutput> build_requests(const Settings &settings, sy::sdk::ParserPool &parsers,
                                                    const sy_borrowed_str *events, size_t count,
                                                    uint32_t max_events_per_request) {
    auto out = std::make_unique<sy::TransformOutput>();
    OpenBatch batch(settings, std::clamp<uint32_t>(max_events_per_request, 1, settings.batch_size));
    for (uint32_t i = 0; i < count; ++i) {
        const std::string_view text = sy::view(events[i]);
        if (std::string problem = event_problem(parsers, text); !problem.empty()) {
            out->add_error(i, SY_ABORT, kBadRequest, std::move(problem));
            continue;
        }
        if (!batch.empty() && (batch.full() || batch.bytes_with(text) > kMaxBodyBytes)) batch.flush(*out);
        if (batch.bytes_with(text) > kMaxBodyBytes) {
            out->add_error(i, SY_ABORT, kTooLarge,
                           "Event is larger than the " + std::to_string(kMaxBodyBytes) + "-byte limit of a webhook request body.");
            continue;
        }
        batch.add(i, text);
    }
    batch.flush(*out);
    return out;
}

}  // namespace webhook
