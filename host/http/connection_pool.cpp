// A thread per connection, started on demand and reused; refusal beyond the bound.
#include "host/http/connection_pool.h"

namespace switchyard::http {

ConnectionPool::ConnectionPool(size_t max_connections, std::function<bool(const Connection &)> admit,
                               std::function<void(const Connection &)> refuse)
    : max_connections_(max_connections), admit_(std::move(admit)), refuse_(std::move(refuse)) {}

ConnectionPool::~ConnectionPool() { shutdown(); }

// Only the accepting thread enqueues (and later shuts down), so the room seen before admitting
// is still there after: meanwhile connections can only end.
void ConnectionPool::enqueue(Connection connection) {
    if (!has_room()) return refuse_(connection);
    if (!admit_(connection)) return;
    std::lock_guard lock(mutex_);
    ++open_;
    waiting_.push_back(std::move(connection));
    if (waiting_.size() > idle_threads_) threads_.emplace_back([this] { work(); });
    wake_.notify_one();
}

bool ConnectionPool::has_room() {
    std::lock_guard lock(mutex_);
    return open_ < max_connections_ && !stopping_;
}

void ConnectionPool::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_threads_;
        wake_.wait(lock, [&] { return !waiting_.empty() || stopping_; });
        --idle_threads_;
        if (waiting_.empty()) return;  // stopping, and nothing left to serve
        Connection connection = std::move(waiting_.front());
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
