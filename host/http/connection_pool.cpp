// A thread per connection, started on demand and reused; refusal beyond the bound.
#include "host/http/connection_pool.h"

namespace switchyard::http {

ConnectionPool::ConnectionPool(size_t max_connections, std::function<void(const std::function<void()> &)> refuse)
    : max_connections_(max_connections), refuse_(std::move(refuse)) {}

ConnectionPool::~ConnectionPool() { shutdown(); }

void ConnectionPool::enqueue(std::function<void()> connection) {
    {
        std::lock_guard lock(mutex_);
        if (open_ < max_connections_ && !stopping_) {
            ++open_;
            waiting_.push_back(std::move(connection));
            if (waiting_.size() > idle_threads_) threads_.emplace_back([this] { work(); });
            wake_.notify_one();
            return;
        }
    }
    refuse_(connection);
}

void ConnectionPool::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_threads_;
        wake_.wait(lock, [&] { return !waiting_.empty() || stopping_; });
        --idle_threads_;
        if (waiting_.empty()) return;  // stopping, and nothing left to serve
        std::function<void()> connection = std::move(waiting_.front());
        waiting_.pop_front();
        lock.unlock();
        connection();
        lock.lock();
        --open_;
    }
}

void ConnectionPool::shutdown() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
    }
    wake_.notify_all();
    for (std::thread &thread : threads) thread.join();
}

}  // namespace switchyard::http
