// A thread of its own that runs its callers' jobs one at a time while each caller waits: the
// transform's per-thread state (the plugin's and the host's parsers, malloc's thread caches)
// then exists once per worker, not once per connection thread.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace switchyard::transformer {

class WorkerThread {
   public:
    WorkerThread();
    ~WorkerThread();  // after the job in progress, if any
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    // Runs `job` on the worker's thread and returns when it has; what it throws is rethrown here.
    // One caller at a time.
    void run(const std::function<void()> &job);

   private:
    void loop();

    std::mutex mutex_;
    std::condition_variable changed_;
    const std::function<void()> *job_ = nullptr;  // the caller's, while it waits
    std::exception_ptr thrown_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace switchyard::transformer
