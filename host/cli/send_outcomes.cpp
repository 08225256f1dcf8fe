// Gathering `switchyard send`'s outcomes and printing them in input order.
#include "host/cli/send_outcomes.h"

#include "host/json/json_text.h"
#include "host/log/log.h"

namespace switchyard::cli {
namespace {

void append_line(std::string &out, size_t index, const EventOutcome &event) {
    out += "{\"index\":" + std::to_string(index) + ",\"outcome\":\"" + std::string(outcome_name(event.outcome)) +
           "\",\"status\":" + std::to_string(event.status);
    if (event.outcome != SY_OK) {  // skipped too: say why it needed no delivery
        out += ",\"error\":";
        json::append_string(out, log::redact(event.message));  // a destination's answer may quote the key
    }
    out += "}\n";
}

}  // namespace

void SendOutcomes::expect(size_t count) {
    std::lock_guard lock(mutex_);
    unprinted_.resize(unprinted_.size() + count);
}

void SendOutcomes::record(size_t index, EventOutcome outcome) {
    {
        std::lock_guard lock(mutex_);
        unprinted_.at(index - first_unprinted_) = std::move(outcome);
    }
    recorded_.notify_all();
}

void SendOutcomes::print_until(std::ostream &out, size_t most_unprinted) {
    std::unique_lock lock(mutex_);
    while (true) {
        std::string lines;
        for (; !unprinted_.empty() && unprinted_.front(); unprinted_.pop_front(), ++first_unprinted_) {
            const EventOutcome &event = *unprinted_.front();
            append_line(lines, first_unprinted_, event);
            all_ok_ = all_ok_ && (event.outcome == SY_OK || event.outcome == SY_SKIPPED);
        }
        if (!lines.empty()) {
            lock.unlock();  // the runner's workers record meanwhile
            out << lines << std::flush;
            lock.lock();
        }
        if (unprinted_.size() <= most_unprinted) return;
        recorded_.wait(lock, [this] { return unprinted_.front().has_value(); });
    }
}

}  // namespace switchyard::cli
