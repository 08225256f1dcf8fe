// The transform endpoints are CPU-bound: each call runs on a workspace (its body buffer and JSON
// parsers) kept from one call to the next, a few per serving thread. rudder-server keeps
// up to 100 connections open; were every request's body read as it arrived, each would hold a
// buffer and parsers at once. A request waits for a free workspace with its body still in the
// kernel's socket buffer, and is read into the workspace once it has one.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "host/transformer/envelope.h"

namespace switchyard::transformer {

struct Workspace {
    std::string body;  // the request body, with at least simdjson's padding of capacity after it
    EnvelopeParsers parsers;

    simdjson::padded_string_view padded_body() const {
        return simdjson::padded_string_view(body.data(), body.size(), body.capacity());
    }
    // After a call: what an unusually large body grew is given back, the usual size kept.
    void trim();
};

class WorkspacePool {
   public:
    explicit WorkspacePool(size_t count);

    // A workspace held for one call; the next waiting call gets it when the lease is dropped.
    using Lease = std::shared_ptr<Workspace>;

    // Calls `then` with a workspace: at once when one is free, else when one is given back, on
    // the thread that gives it back (so `then` must be quick: an event loop posts its work).
    void acquire(std::function<void(Lease)> then);

   private:
    void give_back(std::unique_ptr<Workspace> workspace);
    Lease lease(std::unique_ptr<Workspace> workspace);

    std::mutex mutex_;
    std::vector<std::unique_ptr<Workspace>> free_;
    std::deque<std::function<void(Lease)>> waiting_;  // first come, first served
};

// The cores this process may run on (its CPU affinity, so `taskset` counts), at least 1.
size_t usable_cores();

}  // namespace switchyard::transformer
