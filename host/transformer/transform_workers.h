// The transform endpoints are CPU-bound: at most one call per core runs at a time, each on a
// workspace (its body buffer, JSON parsers and thread) kept from one call to the next. rudder-server
// keeps up to 100 connections open, each on a thread of its own; run all at once, their calls
// took a buffer, a padded copy and parsers each (the plugin's too), and the core's time went to
// switching between them.
// A waiting call's body stays in the kernel's socket buffer until a workspace is free.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "host/transformer/envelope.h"
#include "host/transformer/worker_thread.h"

namespace switchyard::transformer {

struct Workspace {
    std::string body;  // the request body, with at least simdjson's padding of capacity after it
    EnvelopeParsers parsers;
    WorkerThread thread;  // where the call's transform runs

    simdjson::padded_string_view padded_body() const {
        return simdjson::padded_string_view(body.data(), body.size(), body.capacity());
    }
    // After a call: what an unusually large body grew is given back, the usual size kept.
    void trim();
};

class TransformWorkers {
   public:
    explicit TransformWorkers(size_t count);

    // A workspace held for one call: the next waiting call gets it when the last copy is dropped.
    using Lease = std::shared_ptr<Workspace>;

    // Waits until a workspace is free.
    Lease acquire();

   private:
    void give_back(std::unique_ptr<Workspace> workspace);

    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Workspace>> free_;
};

// The cores this process may run on (its CPU affinity, so `taskset` counts), at least 1.
size_t usable_cores();

}  // namespace switchyard::transformer
