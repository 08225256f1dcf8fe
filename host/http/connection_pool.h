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
    using Connection = std::function<void()>;

    // Both run on the accepting thread and must not block. `admit` sees each connection within
    // the bound and returns false when it refused (and closed) it on its own terms; `refuse`
    // runs each connection over the bound.
    ConnectionPool(size_t max_connections, std::function<bool(const Connection &)> admit,
                   std::function<void(const Connection &)> refuse);
    ~ConnectionPool() override;

    void enqueue(Connection connection) override;
    void shutdown() override;  // waits for every connection to end

   private:
    bool has_room();
    void work();

    const size_t max_connections_;
    const std::function<bool(const Connection &)> admit_;
    const std::function<void(const Connection &)> refuse_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Connection> waiting_;
    std::vector<std::thread> threads_;  // started as needed, kept for later connections
    size_t idle_threads_ = 0;
    size_t open_ = 0;  // waiting or being served
    bool stopping_ = false;
};

}  // namespace switchyard::http
