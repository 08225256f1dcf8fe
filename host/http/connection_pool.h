// cpp-httplib hands each accepted connection to a task queue. This one gives every connection
// a thread of its own (SDKs keep connections open, so a connection waiting in a queue behind
// busy ones could wait for minutes), up to a bound; the connection over the bound is refused
// at once rather than queued.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace switchyard::http {

class ConnectionPool final : public httplib::TaskQueue {
   public:
    // `refuse` runs a connection over the bound on the accepting thread; it must not block.
    ConnectionPool(size_t max_connections, std::function<void(const std::function<void()> &)> refuse);
    ~ConnectionPool() override;

    void enqueue(std::function<void()> connection) override;
    void shutdown() override;  // waits for every connection to end

   private:
    void work();

    const size_t max_connections_;
    const std::function<void(const std::function<void()> &)> refuse_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> waiting_;
    std::vector<std::thread> threads_;  // started as needed, kept for later connections
    size_t idle_threads_ = 0;
    size_t open_ = 0;  // waiting or being served
    bool stopping_ = false;
};

}  // namespace switchyard::http
