// `switchyard send`'s output: each event's final outcome as delivery settles it, printed as one
// NDJSON line per event in input order, as soon as every earlier event's line is printed.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <ostream>

#include "host/delivery/event_outcome.h"

namespace switchyard::cli {

class SendOutcomes {
   public:
    // The next `count` input events are on their way (before they are queued).
    void expect(size_t count);
    // The final outcome of input event `index` (delivered, skipped or given up; never a retry
    // still to come). From any thread.
    void record(size_t index, EventOutcome outcome);
    // Prints the lines that are ready, waiting for outcomes until at most `most_unprinted` of the
    // expected events have no line yet (0: all printed).
    void print_until(std::ostream &out, size_t most_unprinted);
    // Whether every printed event was ok or skipped.
    bool all_ok() const { return all_ok_; }

   private:
    std::mutex mutex_;
    std::condition_variable recorded_;
    size_t first_unprinted_ = 0;
    std::deque<std::optional<EventOutcome>> unprinted_;  // from first_unprinted_ on
    bool all_ok_ = true;
};

}  // namespace switchyard::cli
